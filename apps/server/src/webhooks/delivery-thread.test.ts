import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ThreadWriteLock } from "@cairn/store/sqlite/thread-write-lock";
import { afterEach, describe, expect, it } from "vitest";
import { startDeliveryThread } from "./delivery-thread";

/**
 * A stand-in for the bundled delivery worker, as plain CommonJS (a worker thread runs a file): it logs
 * which start it is and whether it could take the write lock, and the first start dies holding it.
 */
const dyingWorker = `
const { parentPort, workerData } = require("node:worker_threads");
const { buffer, holder } = workerData.store.threadWriteLock;
const took = Atomics.compareExchange(new Int32Array(buffer), 0, 0, holder) === 0;
parentPort.postMessage({ type: "log", level: "info", fields: { owner: workerData.runner.owner, holder, took }, message: "started" });
if (workerData.runner.owner.endsWith(":1")) process.exit(3);
parentPort.on("message", (message) => {
  if (message.type === "stop") {
    Atomics.store(new Int32Array(buffer), 0, 0);
    parentPort.close();
  }
});
`;

describe("the delivery thread", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("takes back the write lock from a thread that died holding it, and starts the thread again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-thread-"));
    dirs.push(dir);
    const script = join(dir, "worker.cjs");
    writeFileSync(script, dyingWorker);
    const lines: { level: string; fields: Record<string, unknown>; message: string }[] = [];
    const log = {
      info: (fields: object, message: string) => lines.push({ level: "info", fields: { ...fields }, message }),
      warn: (fields: object, message: string) => lines.push({ level: "warn", fields: { ...fields }, message }),
      error: (fields: object, message: string) => lines.push({ level: "error", fields: { ...fields }, message }),
    };
    const writeLock = ThreadWriteLock.buffer();
    const thread = startDeliveryThread(
      script,
      {
        store: { dataDir: dir },
        writeLock,
        webhookAllowHosts: "",
        runner: { owner: "host:1:abc:deliveries", pollMs: 1000, leaseMs: 60_000, concurrency: 4 },
      },
      log,
    );
    for (let tries = 0; tries < 300 && lines.filter((line) => line.message === "started").length < 2; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const starts = lines.filter((line) => line.message === "started").map((line) => line.fields);
    // The first start died holding the lock; the second found it free.
    expect(starts).toEqual([
      { owner: "host:1:abc:deliveries:1", holder: 2, took: true },
      { owner: "host:1:abc:deliveries:2", holder: 3, took: true },
    ]);
    expect(lines).toContainEqual({
      level: "error",
      fields: { code: 3 },
      message: "deliveries: the delivery thread stopped; starting it again",
    });
    // The second start holds the lock until it is asked to stop, and a stop does not start it again.
    await thread.stop();
    const requests = new ThreadWriteLock(writeLock, 1, true);
    await requests.acquire();
    requests.release();
    expect(lines.filter((line) => line.message === "started")).toHaveLength(2);
  });
});
