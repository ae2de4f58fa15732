import { spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createCorpus, percentile } from "./corpus";
import { makeEntries, serverIngestRate } from "./ingest-bench";
import { type ServerProcess, startServerProcess } from "./server-process";

// Changes become deliveries within 50 ms; the job runner polls at its default (1 s) otherwise.
const fastJobs = { CAIRN_EVENT_SCAN_MS: "50" };

async function userId(server: ServerProcess): Promise<string> {
  const me = (await (await fetch(`${server.url}/api/me`, { headers: auth(server) })).json()) as {
    user: { id: string };
  };
  return me.user.id;
}

function auth(server: ServerProcess) {
  return { authorization: `Bearer ${server.token}`, "content-type": "application/json" };
}

/** Sequential single-memory writes over HTTP: their latencies in ms. */
async function writeLatencies(server: ServerProcess, count: number, label: string): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = process.hrtime.bigint();
    const response = await fetch(`${server.url}/api/memories`, {
      method: "POST",
      headers: auth(server),
      body: JSON.stringify({ project: "bench", content: `${label} write ${index}` }),
    });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`write failed: ${response.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times;
}

/**
 * A receiver that answers 200 at once, in a process of its own: in the bench's process it would share the
 * event loop (or, on a thread, the process) that times the writes, and its thousand requests a second
 * would count against the server. It reports how many deliveries it has received, and when the last one
 * came (process.hrtime, the system's monotonic clock, so comparable with the bench's), every 20 ms.
 */
async function startReceiverProcess() {
  const child = spawn(
    process.execPath,
    [
      "-e",
      `const { createServer } = require("node:http");
       let received = 0, lastAt = 0n, reported = 0;
       const server = createServer((request, response) => {
         request.resume();
         request.on("end", () => {
           received += 1;
           lastAt = process.hrtime.bigint();
           response.writeHead(200).end();
         });
       });
       setInterval(() => {
         if (received !== reported) process.send({ received: (reported = received), lastAt: String(lastAt) });
       }, 20);
       server.listen(0, "127.0.0.1", () => process.send({ port: server.address().port }));`,
    ],
    { stdio: ["ignore", "inherit", "inherit", "ipc"] },
  );
  let received = 0;
  let lastAt = 0n;
  const port = await new Promise<number>((resolve, reject) => {
    child.on("message", (message: { port?: number; received?: number; lastAt?: string }) => {
      if (message.port !== undefined) resolve(message.port);
      if (message.received !== undefined) {
        received = message.received;
        lastAt = BigInt(message.lastAt ?? "0");
      }
    });
    child.once("error", reject);
  });
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received: () => received,
    lastAt: () => lastAt,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

/**
 * Webhook fan-out (issue 7): 10,000 entry.created events to a local receiver
 * that answers at once, in 4 rounds of 2,500; the drain rate, and
 * single-write latency while deliveries drain against the same writes with
 * nothing to deliver just before each round. Rounds interleave the two, so a
 * machine whose speed drifts during the run (a shared VM) moves both alike.
 */
export async function webhookFanout(cairnBin: string, dir: string, events = 10_000, rounds = 4) {
  const receiver = await startReceiverProcess();
  // The receiver runs on this machine: allowed as an administrator would allow n8n beside the server.
  const server = await startServerProcess({
    cairnBin,
    dataDir: join(dir, "fanout"),
    env: { ...fastJobs, CAIRN_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" },
  });
  try {
    // Warm first: the server's first writes also compile its code, and would flatter either side.
    await writeLatencies(server, 3000, "warm-up");
    const added = await fetch(`${server.url}/api/webhooks`, {
      method: "POST",
      headers: auth(server),
      body: JSON.stringify({ url: receiver.url, events: ["entry.created"] }),
    });
    if (added.status !== 201) throw new Error(`webhook add failed: ${added.status}`);
    const user = await userId(server);
    const entries = makeEntries(createCorpus(), events);
    const perRound = Math.ceil(events / rounds);
    const idle: number[] = [];
    const during: number[] = [];
    let seconds = 0;
    for (let round = 0; round < rounds; round++) {
      // Memories are not subscribed: these writes only measure what draining does to write latency.
      idle.push(...(await writeLatencies(server, 400, "idle")));
      const batch = entries.slice(round * perRound, (round + 1) * perRound);
      const target = receiver.received() + batch.length;
      const started = process.hrtime.bigint();
      await serverIngestRate(server, user, batch, `bench-device-${round}`);
      while (receiver.received() < target) {
        during.push(...(await writeLatencies(server, 20, "during")));
        if (Number(process.hrtime.bigint() - started) > 120e9) {
          throw new Error(`only ${receiver.received()} of ${target} delivered`);
        }
      }
      seconds += Number(receiver.lastAt() - started) / 1e9;
    }
    return {
      rate: events / seconds,
      seconds,
      writes: during.length,
      idle: { p50: percentile(idle, 50), p99: percentile(idle, 99) },
      during: { p50: percentile(during, 50), p99: percentile(during, 99) },
    };
  } finally {
    await server.stop();
    await receiver.stop();
  }
}

/**
 * Export and import of 100,000 rows (issue 7): `GET /api/export` read to the
 * end, then its lines posted to `POST /api/import` of a second, empty server
 * in batches of 500, against the same rows read straight from SQLite and
 * pushed through /api/sync/push in the same run.
 */
export async function exportImport(cairnBin: string, dir: string, count = 100_000) {
  const source = await startServerProcess({ cairnBin, dataDir: join(dir, "export-source") });
  const target = await startServerProcess({ cairnBin, dataDir: join(dir, "export-target") });
  try {
    const entries = makeEntries(createCorpus(), count);
    const pushRate = await serverIngestRate(source, await userId(source), entries);

    let started = process.hrtime.bigint();
    const response = await fetch(`${source.url}/api/export?format=jsonl`, { headers: auth(source) });
    const text = await response.text();
    const exportSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const lines = text.trimEnd().split("\n");
    if (lines.length < count) throw new Error(`exported ${lines.length} lines, expected ${count}`);

    const db = new Database(join(dir, "export-source", "cairn.db"), { readonly: true });
    started = process.hrtime.bigint();
    const raw = db
      .prepare("SELECT id, project_id, thread_id, session_id, author, content, created_at FROM entries")
      .all();
    const rawSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    db.close();

    started = process.hrtime.bigint();
    for (let offset = 0; offset < lines.length; offset += 500) {
      const body = `{"rows":[${lines.slice(offset, offset + 500).join(",")}]}`;
      const imported = await fetch(`${target.url}/api/import`, { method: "POST", headers: auth(target), body });
      await imported.arrayBuffer();
      if (!imported.ok) throw new Error(`import failed: ${imported.status}`);
    }
    const importSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { rows: lines.length, exportSeconds, rawSeconds, rawRows: raw.length, importSeconds, pushRate };
  } finally {
    await source.stop();
    await target.stop();
  }
}
