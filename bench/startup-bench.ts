import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { median } from "./corpus";

/**
 * (a) `cairn thread push` wall time, whole process, server unreachable, against
 * `node -e 0`; both without NODE_EXTRA_CA_CERTS (it adds ~50 ms to any start).
 * Two cases: as a user sees it (after the first refused push, writes wait for
 * the backoff to end before trying again), and with the backoff cleared before
 * every run, so each write also attempts its inline push and is refused.
 */
export function startupBench(options: { cairnBin: string; runs: number }): Record<string, number> {
  const home = mkdtempSync(join(tmpdir(), "cairn-bench-startup-"));
  // Logged in to a server that is not there: the push is attempted and refused at once.
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, "credentials.json"),
    JSON.stringify({
      version: 1,
      server: "http://127.0.0.1:9",
      token: "cairn_bench",
      user: { id: "bench-user", name: "bench" },
      loggedInAt: new Date().toISOString(),
    }),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, CAIRN_HOME: home };
  delete env.NODE_EXTRA_CA_CERTS;
  const time = (args: string[]) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env, cwd: home, stdio: ["ignore", "pipe", "pipe"] });
    const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return elapsed;
  };
  const push = [options.cairnBin, "thread", "push", "--thread", "bench", "found the bug in the parser"];
  const baseline = ["-e", "0"];
  for (let index = 0; index < 3; index++) {
    time(baseline);
    time(push);
  }
  const store = join(home, "stores", "http_127.0.0.1_9__bench-user.db");
  const clearBackoff = () => {
    const db = new Database(store);
    db.prepare("DELETE FROM sync_state WHERE key = 'nextAttemptAt'").run();
    db.close();
  };
  const nodeTimes: number[] = [];
  const pushTimes: number[] = [];
  const attemptTimes: number[] = [];
  // Interleaved, so a slow moment of the machine hits every case alike.
  for (let index = 0; index < options.runs; index++) {
    nodeTimes.push(time(baseline));
    pushTimes.push(time(push));
    clearBackoff();
    attemptTimes.push(time(push));
  }
  rmSync(home, { recursive: true, force: true });
  const nodeMedian = median(nodeTimes);
  const pushMedian = median(pushTimes);
  const attemptMedian = median(attemptTimes);
  return {
    nodeMedianMs: nodeMedian,
    pushMedianMs: pushMedian,
    ratio: pushMedian / nodeMedian,
    attemptMedianMs: attemptMedian,
    attemptRatio: attemptMedian / nodeMedian,
  };
}
