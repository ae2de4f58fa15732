import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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
 * Webhook fan-out (issue 7): 10,000 entry.created events to a local receiver
 * that answers at once; the drain rate, and single-write latency before any
 * webhook exists against the same writes while the deliveries drain.
 */
export async function webhookFanout(cairnBin: string, dir: string, events = 10_000) {
  let received = 0;
  let lastAt = 0n;
  const receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received += 1;
      lastAt = process.hrtime.bigint();
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  const server = await startServerProcess({ cairnBin, dataDir: join(dir, "fanout"), env: fastJobs });
  try {
    const before = await writeLatencies(server, 300, "before");
    const added = await fetch(`${server.url}/api/webhooks`, {
      method: "POST",
      headers: auth(server),
      body: JSON.stringify({ url, events: ["entry.created"] }),
    });
    if (added.status !== 201) throw new Error(`webhook add failed: ${added.status}`);
    const entries = makeEntries(createCorpus(), events);
    const started = process.hrtime.bigint();
    await serverIngestRate(server, await userId(server), entries);
    // Memories are not subscribed: these writes only measure what the draining does to write latency.
    const during: number[] = [];
    while (received < events) {
      during.push(...(await writeLatencies(server, 20, "during")));
      if (Number(process.hrtime.bigint() - started) > 120e9) throw new Error(`only ${received} of ${events} delivered`);
    }
    const seconds = Number(lastAt - started) / 1e9;
    return {
      rate: events / seconds,
      seconds,
      writes: during.length,
      before: { p50: percentile(before, 50), p99: percentile(before, 99) },
      during: { p50: percentile(during, 50), p99: percentile(during, 99) },
    };
  } finally {
    await server.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
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
