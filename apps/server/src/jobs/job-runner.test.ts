import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdGenerator } from "@cairn/core/ids";
import type { Job } from "@cairn/core/jobs/job-entities";
import type { Store, SystemStore } from "@cairn/core/store/store-port";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import { afterEach, describe, expect, it } from "vitest";
import { type JobHandler, type JobRunnerOptions, retryDelayMs, startJobRunner } from "./job-runner";

const silent = { info() {}, warn() {}, error() {} };

describe("the job runner", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const setup = (handlers: JobHandler[], settings: Partial<JobRunnerOptions> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-jobs-"));
    dirs.push(dir);
    const store = new SqliteStore({ path: join(dir, "jobs.db") });
    // Counts the transactions the runner opens (the store's own method, called through).
    let transactions = 0;
    const system: SystemStore = Object.create(store.system);
    system.transaction = (work) => {
      transactions += 1;
      return store.system.transaction(work);
    };
    const counted: Store = Object.create(store, { system: { value: system } });
    const deps = { store: counted, now: () => new Date(), newId: createIdGenerator() };
    const runner = startJobRunner(
      deps,
      handlers,
      { owner: "test", pollMs: 20, leaseMs: 5_000, concurrency: 2, retryBaseMs: 10, ...settings },
      silent,
    );
    return { store, runner, transactions: () => transactions };
  };
  const until = async (check: () => Promise<boolean>) => {
    for (let tries = 0; tries < 400; tries++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("condition never met");
  };
  const jobOf = async (store: SqliteStore, kind: string): Promise<Job> => {
    const [job] = (await store.system.listJobs({ kind, limit: 1, offset: 0 })).jobs;
    if (!job) throw new Error(`no ${kind} job`);
    return job;
  };

  it("doubles the retry delay from 1 s up to 5 minutes", () => {
    expect([1, 2, 3, 8, 9, 20].map((attempt) => retryDelayMs(attempt))).toEqual([
      1000, 2000, 4000, 128_000, 256_000, 300_000,
    ]);
  });

  it("retries a failing job with backoff until it succeeds, once", async () => {
    let calls = 0;
    const { store, runner } = setup([
      {
        kind: "flaky",
        maxAttempts: 8,
        timeoutMs: 1000,
        async run() {
          calls += 1;
          if (calls <= 3) throw new Error(`receiver answered 503 (call ${calls})`);
          return undefined;
        },
      },
    ]);
    await runner.enqueue({ kind: "flaky", userId: null, dedupeKey: null, payload: {} });
    await until(async () => (await jobOf(store, "flaky")).status === "done");
    expect(calls).toBe(4);
    expect(await jobOf(store, "flaky")).toMatchObject({ attempts: 4, lastError: "receiver answered 503 (call 3)" });
    await runner.stop();
    await store.close();
  });

  it("marks a job dead after its last attempt, and keeps the error", async () => {
    const { store, runner } = setup([
      {
        kind: "broken",
        maxAttempts: 3,
        timeoutMs: 1000,
        async run() {
          throw new Error("no route to host");
        },
      },
    ]);
    await runner.enqueue({ kind: "broken", userId: null, dedupeKey: null, payload: {} });
    await until(async () => (await jobOf(store, "broken")).status === "dead");
    expect(await jobOf(store, "broken")).toMatchObject({ attempts: 3, lastError: "no route to host" });
    await runner.stop();
    await store.close();
  });

  it("runs a recurring job at start and again after its period, and puts a job cut off by stop back in the queue", async () => {
    let ticks = 0;
    let release: () => void = () => {};
    const { store, runner } = setup([
      {
        kind: "tick",
        maxAttempts: 8,
        timeoutMs: 1000,
        everyMs: 30,
        async run() {
          ticks += 1;
          return undefined;
        },
      },
      {
        kind: "slow",
        maxAttempts: 8,
        timeoutMs: 10_000,
        run: (_job, context) =>
          new Promise((resolve, reject) => {
            release = () => resolve(undefined);
            context.signal.addEventListener("abort", () => reject(context.signal.reason));
          }),
      },
    ]);
    await until(async () => ticks >= 3);
    await runner.enqueue({ kind: "slow", userId: null, dedupeKey: null, payload: {} });
    await until(async () => (await jobOf(store, "slow")).status === "running");
    await runner.stop();
    release();
    const slow = await jobOf(store, "slow");
    expect(slow).toMatchObject({ status: "queued", attempts: 1, leaseOwner: null });
    expect(Date.parse(slow.runAt)).toBeLessThanOrEqual(Date.now());
    // A recurring job is one row, queued again after each run (no row per run), its attempts reset.
    const ticksRows = await store.system.listJobs({ kind: "tick", limit: 10, offset: 0 });
    expect(ticksRows.total).toBe(1);
    expect(ticksRows.jobs[0]).toMatchObject({ status: "queued", attempts: 0 });
    await store.close();
  });

  it("records the outcomes of jobs that end together, and claims the next ones, in one transaction per tick", async () => {
    const ended: string[] = [];
    let gate: () => void = () => {};
    const opened = new Promise<void>((resolve) => {
      gate = resolve;
    });
    const { store, runner, transactions } = setup(
      [
        {
          kind: "send",
          maxAttempts: 8,
          timeoutMs: 5_000,
          async run(job) {
            await opened;
            ended.push(String(job.payload.n));
            return undefined;
          },
        },
      ],
      // No idle polls during the test: only ticks with work open transactions.
      { concurrency: 20, perPartition: 20, commitEveryMs: 30, pollMs: 60_000 },
    );
    await store.system.transaction(async (tx) => {
      const at = new Date().toISOString();
      for (let n = 0; n < 40; n++) {
        await tx.enqueueJob({
          id: `send-${String(n).padStart(2, "0")}`,
          kind: "send",
          userId: null,
          dedupeKey: null,
          payload: { n },
          maxAttempts: 8,
          runAt: at,
          createdAt: at,
        });
      }
    });
    runner.wake();
    await until(async () => (await store.system.listJobs({ status: "running", limit: 1, offset: 0 })).total === 20);
    const before = transactions();
    // The 20 running jobs end in the same turn of the event loop.
    gate();
    await until(async () => (await store.system.listJobs({ status: "done", limit: 1, offset: 0 })).total === 40);
    expect(ended).toHaveLength(40);
    // One tick recorded the first 20 and claimed the last 20; one more recorded those (a claim that
    // finds nothing may add one): not a transaction per job.
    expect(transactions() - before).toBeGreaterThanOrEqual(2);
    expect(transactions() - before).toBeLessThanOrEqual(4);
    await runner.stop();
    await store.close();
  });
});
