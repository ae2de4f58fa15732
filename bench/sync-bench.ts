import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Entry } from "@cairn/core/entities";
import { createIdGenerator } from "@cairn/core/ids";
import { LocalStore } from "@cairn/sync/local-store";
import { timedCli } from "./cli-process";
import { median } from "./corpus";
import { appendArgs } from "./ingest-bench";
import type { ServerProcess } from "./server-process";

function cli(cairnBin: string, home: string, args: string[]): { stdout: string; ms: number } {
  const env: NodeJS.ProcessEnv = { ...process.env, CAIRN_HOME: home };
  delete env.NODE_EXTRA_CA_CERTS;
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [cairnBin, ...args], { env, cwd: home, encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0 && !args.includes("--check")) {
    throw new Error(`cairn ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  }
  return { stdout: result.stdout, ms };
}

export function login(cairnBin: string, home: string, server: ServerProcess): { storePath: string } {
  mkdirSync(home, { recursive: true });
  cli(cairnBin, home, ["login", "--server", server.url, "--token", server.token]);
  const status = JSON.parse(cli(cairnBin, home, ["sync", "status", "--json"]).stdout) as { store: string };
  return { storePath: status.store };
}

/** Queues entries in a scope's store as `thread push` would (data + outbox rows), 1,000 per transaction. */
export async function queueEntries(storePath: string, userId: string, server: string, entries: Entry[]): Promise<void> {
  const local = LocalStore.open({ path: storePath, userId, server, newDeviceId: createIdGenerator() });
  const sink = local.sink({ now: () => new Date(), queueCap: Number.MAX_SAFE_INTEGER });
  for (let offset = 0; offset < entries.length; offset += 1000) {
    await sink.commit(
      entries.slice(offset, offset + 1000).map((entry) => ({
        op: "entry.append",
        args: appendArgs(entry),
      })),
    );
  }
  await local.close();
}

/** `cairn sync now` as a user runs it, in its own process: wall time and peak resident memory. */
export function drainProcess(cairnBin: string, home: string) {
  return timedCli<{ pushed: number; pulled: number; pending: number }>(cairnBin, home, ["sync", "now", "--json"]);
}

/**
 * With the daemon running: wall time from starting `cairn thread push` to
 * the entry being on the server (the daemon answers the write once its pass
 * pushed it; the server is asked too).
 */
export async function daemonLatency(
  cairnBin: string,
  home: string,
  server: ServerProcess,
  runs: number,
): Promise<{ p50: number; p99: number; max: number }> {
  cli(cairnBin, home, ["sync", "daemon", "start"]);
  try {
    const times: number[] = [];
    for (let index = 0; index < runs; index++) {
      const started = process.hrtime.bigint();
      const written = JSON.parse(
        cli(cairnBin, home, ["thread", "push", "--project", "latency", "--thread", "t", `entry ${index}`, "--json"])
          .stdout,
      ) as { id: string; synced: boolean };
      for (;;) {
        const response = await fetch(`${server.url}/api/threads/t?project=latency&limit=1&offset=${index}`, {
          headers: { authorization: `Bearer ${server.token}` },
        });
        const body = (await response.json()) as { entries?: { id: string }[] };
        if (body.entries?.some((entry) => entry.id === written.id)) break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const sorted = [...times].sort((left, right) => left - right);
    return {
      p50: median(times),
      p99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? Number.NaN,
      max: sorted.at(-1) ?? Number.NaN,
    };
  } finally {
    cli(cairnBin, home, ["sync", "daemon", "stop"]);
  }
}

/** `cairn sync status --check --json`, whole process, against `node -e 0`. */
export function preflightTimes(cairnBin: string, home: string, runs: number): { check: number[]; node: number[] } {
  const check: number[] = [];
  const node: number[] = [];
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  for (let index = 0; index < runs + 3; index++) {
    const started = process.hrtime.bigint();
    spawnSync(process.execPath, ["-e", "0"], { env });
    const nodeMs = Number(process.hrtime.bigint() - started) / 1e6;
    const checkMs = cli(cairnBin, home, ["sync", "status", "--check", "--json"]).ms;
    if (index >= 3) {
      node.push(nodeMs);
      check.push(checkMs);
    }
  }
  return { check, node };
}

export function storePathIn(home: string, scope: string): string {
  return join(home, "stores", `${scope}.db`);
}
