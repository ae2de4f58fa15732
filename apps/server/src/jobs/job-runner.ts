import type { Job, NewJob } from "@cairn/core/jobs/job-entities";
import type { Store, SystemTx } from "@cairn/core/store/store-port";

export interface JobContext {
  /** Aborted when the server stops or the job overruns its time limit. */
  signal: AbortSignal;
  now: () => Date;
  /**
   * Writes that belong with this job's outcome (a delivery's log line): run in the transaction that
   * records it, and only if this worker still holds the job. One transaction instead of two.
   */
  withOutcome(work: (tx: SystemTx) => Promise<void>): void;
}

export interface JobHandler {
  kind: string;
  maxAttempts: number;
  /** A run longer than this is abandoned (its lease is no longer renewed; another worker may retry it). */
  timeoutMs: number;
  /** Runs one job. Throwing retries it later; `{ again: true }` queues it again at once (more work left). */
  run(job: Job, context: JobContext): Promise<undefined | { again: true }>;
  /** Runs every `everyMs` (one queued copy at a time, whichever server process claims it). */
  everyMs?: number | undefined;
}

export interface RunnerLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface JobRunnerOptions {
  /** This process's name in the lease columns. */
  owner: string;
  pollMs: number;
  leaseMs: number;
  concurrency: number;
  /** The first retry's delay, doubling to 5 minutes (default 1 s, SPEC section 7; tests shorten it). */
  retryBaseMs?: number | undefined;
  /**
   * Jobs of one partition (the deliveries to one endpoint) this process runs at once, about: a
   * receiver that hangs holds a few slots, and the other jobs go on. Default 4.
   */
  perPartition?: number | undefined;
  /**
   * Outcomes and claims are written together, one transaction per tick; ticks come at most this often
   * (default 0: every turn of the event loop that has something to write). The delivery thread sets
   * 25 ms: its commits then seldom land between two of the request thread's.
   */
  commitEveryMs?: number | undefined;
}

export interface JobRunner {
  /** Adds a job and polls at once. */
  enqueue(job: Omit<NewJob, "id" | "createdAt" | "runAt" | "maxAttempts"> & { runAt?: string }): Promise<boolean>;
  /** Polls at once (new work was queued by this process). */
  wake(): void;
  stop(): Promise<void>;
}

/** Retry delay after the given attempt: 1 s doubling to 5 minutes (SPEC section 7). */
export function retryDelayMs(attempt: number, baseMs = 1000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 300_000);
}

/**
 * Runs the durable job table's jobs in this process: claims due jobs of the
 * kinds it has handlers for under a lease, renews the lease while a job runs
 * (a worker that dies stops renewing, and the job is claimed again once its
 * lease runs out), and records each outcome: done, queued again with backoff,
 * or dead after its last attempt. Several processes run side by side on one
 * database; the claim (FOR UPDATE SKIP LOCKED on PostgreSQL) gives each job
 * to one of them at a time.
 *
 * Writes are grouped in ticks: one transaction records every outcome that
 * came in since the last tick and claims jobs for the slots they freed, so a
 * fan-out that ends dozens of deliveries at once commits once, not dozens of
 * times (each commit a turn of the write lock that requests wait on).
 */
export function startJobRunner(
  deps: {
    store: Store;
    now: () => Date;
    newId: () => string;
    /** Crash tests: `job.running` is reached once a claimed job has started. */
    faultPoint?: ((point: "job.running") => void) | undefined;
  },
  handlers: JobHandler[],
  options: JobRunnerOptions,
  log: RunnerLog,
): JobRunner {
  const byKind = new Map(handlers.map((handler) => [handler.kind, handler]));
  const perPartition = options.perPartition ?? 4;
  const commitEveryMs = options.commitEveryMs ?? 0;
  /** Jobs whose handler is running here, and how many of each partition. */
  const running = new Map<string, Job>();
  const partitions = new Map<string, number>();
  /**
   * Sets of busy partitions known to leave nothing else to claim: a claim that skipped them came back
   * short. Claiming again with the same set would walk the same due rows (all of busy partitions) for
   * nothing, so it waits until a partition frees up, new work is queued (wake), or the poll timer.
   */
  const exhausted = new Set<string>();
  /** Outcomes waiting for the next tick; every execution not yet recorded (stop waits for them). */
  let settling: Outcome[] = [];
  const executions = new Set<Promise<void>>();
  const stopping = new AbortController();
  let ticking: Promise<void> | null = null;
  let tickAgain = false;
  let tickTimer: { cancel(): void; at: number } | null = null;
  let pollTimer: NodeJS.Timeout | null = null;
  const iso = (offsetMs = 0) => new Date(deps.now().getTime() + offsetMs).toISOString();

  const enqueue: JobRunner["enqueue"] = async (job) => {
    const handler = byKind.get(job.kind);
    const added = await deps.store.system.transaction((tx) =>
      tx.enqueueJob({
        ...job,
        id: deps.newId(),
        maxAttempts: handler?.maxAttempts ?? 8,
        runAt: job.runAt ?? iso(),
        createdAt: iso(),
      }),
    );
    if (added) wake();
    return added;
  };

  /** One queued copy of a recurring job, due at `runAt` (nothing when one is already queued or running). */
  const ensureRecurring = (handler: JobHandler, runAt: string) =>
    enqueue({ kind: handler.kind, userId: null, dedupeKey: `recurring:${handler.kind}`, payload: {}, runAt });

  /** A tick within `delayMs`, or sooner if one is already set for sooner; after the tick under way if any. */
  function scheduleTick(delayMs: number): void {
    if (ticking) {
      tickAgain = true;
      return;
    }
    const at = Date.now() + delayMs;
    if (tickTimer && tickTimer.at <= at) return;
    tickTimer?.cancel();
    if (delayMs <= 0) {
      const immediate = setImmediate(runTick);
      tickTimer = { at, cancel: () => clearImmediate(immediate) };
    } else {
      const timeout = setTimeout(runTick, delayMs);
      tickTimer = { at, cancel: () => clearTimeout(timeout) };
    }
  }

  function runTick(): void {
    tickTimer = null;
    ticking = tick()
      .catch((error: unknown) => {
        if (!stopping.signal.aborted) log.error({ err: error }, "jobs: claiming failed; polling again");
      })
      .finally(() => {
        ticking = null;
        if (tickAgain) {
          tickAgain = false;
          scheduleTick(commitEveryMs);
        }
        // Idle: look again after `pollMs` (jobs queued by other processes, retries coming due).
        if (pollTimer) clearTimeout(pollTimer);
        if (!stopping.signal.aborted) {
          pollTimer = setTimeout(wake, options.pollMs);
          pollTimer.unref();
        }
      });
  }

  async function tick(): Promise<void> {
    const batch = settling;
    settling = [];
    // A claim takes at most `perPartition` jobs and none of a partition already that busy here, so one
    // endpoint's deliveries never fill every slot.
    const limit = Math.min(options.concurrency - running.size, perPartition);
    const skipPartitions = [...partitions].filter(([, count]) => count >= perPartition).map(([key]) => key);
    const skipKey = skipPartitions.sort().join("\n");
    const claim = !stopping.signal.aborted && limit > 0 && !(skipPartitions.length > 0 && exhausted.has(skipKey));
    if (batch.length === 0 && !claim) return;
    let jobs: Job[] = [];
    try {
      jobs = await deps.store.system.transaction(async (tx) => {
        for (const outcome of batch) await outcome.work(tx);
        if (!claim) return [];
        return tx.claimJobs({
          owner: options.owner,
          kinds: [...byKind.keys()],
          limit,
          now: iso(),
          leaseUntil: iso(options.leaseMs),
          skipPartitions,
        });
      });
    } catch (error) {
      if (batch.length === 0) throw error;
      // Outcomes and claim rolled back together: record each outcome alone, so one that cannot be
      // written holds back no other; claim at the next tick.
      for (const outcome of batch) await recordAlone(outcome, error);
      tickAgain = true;
    } finally {
      for (const outcome of batch) outcome.recorded();
    }
    if (claim && jobs.length < limit && skipPartitions.length > 0) exhausted.add(skipKey);
    for (const job of jobs) start(job);
    // A full claim may have left more due jobs: look again while slots are free.
    if (claim && jobs.length === limit && running.size < options.concurrency) tickAgain = true;
  }

  const recordAlone = async (outcome: Outcome, batchError: unknown) => {
    try {
      await deps.store.system.transaction(outcome.work);
    } catch (error) {
      log.error(
        { err: error, batchError, job: outcome.job.id, kind: outcome.job.kind },
        "jobs: could not record a job's outcome",
      );
    }
  };

  function start(job: Job): void {
    const handler = byKind.get(job.kind) as JobHandler;
    running.set(job.id, job);
    if (job.partitionKey !== null) partitions.set(job.partitionKey, (partitions.get(job.partitionKey) ?? 0) + 1);
    const execution: Promise<void> = execute(job, handler).finally(() => executions.delete(execution));
    executions.add(execution);
  }

  /**
   * The job's slot is free once its handler is done; its outcome is written at the next tick (the lease,
   * still held, keeps it from being claimed meanwhile). Resolves once the outcome is recorded.
   */
  function settle(job: Job, work: (tx: SystemTx) => Promise<void>): Promise<void> {
    running.delete(job.id);
    const partition = job.partitionKey;
    if (partition !== null) {
      const left = (partitions.get(partition) ?? 1) - 1;
      if (left > 0) partitions.set(partition, left);
      else partitions.delete(partition);
    }
    return new Promise<void>((recorded) => {
      settling.push({ job, work, recorded });
      scheduleTick(commitEveryMs);
    });
  }

  const execute = async (job: Job, handler: JobHandler) => {
    const overrun = new AbortController();
    const signal = AbortSignal.any([stopping.signal, overrun.signal]);
    const deadline = setTimeout(() => overrun.abort(new Error("job time limit reached")), handler.timeoutMs);
    const heartbeat = setInterval(
      () => {
        deps.store.system
          .transaction((tx) => tx.extendJobLease(job.id, options.owner, iso(options.leaseMs)))
          .catch(() => {});
      },
      Math.max(50, Math.floor(options.leaseMs / 3)),
    );
    const outcomeWork: ((tx: SystemTx) => Promise<void>)[] = [];
    const withOutcome = async (tx: SystemTx) => {
      for (const work of outcomeWork) await work(tx);
    };
    let result: Awaited<ReturnType<JobHandler["run"]>>;
    try {
      deps.faultPoint?.("job.running");
      result = await handler.run(job, {
        signal,
        now: deps.now,
        withOutcome: (work) => outcomeWork.push(work),
      });
      if (signal.aborted) throw signal.reason ?? new Error("aborted");
    } catch (error) {
      clearTimeout(deadline);
      clearInterval(heartbeat);
      const message = error instanceof Error ? error.message : String(error);
      if (stopping.signal.aborted) {
        // Shutting down mid-job: back in the queue, due now, for the next start or another process.
        await settle(job, async (tx) => {
          await tx.finishJob(job.id, options.owner, { status: "queued", runAt: iso(), error: message }, iso());
        });
        return;
      }
      const dead = job.attempts >= job.maxAttempts;
      log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, dead, error: message }, "jobs: a job failed");
      await settle(job, async (tx) => {
        const outcome = dead
          ? ({ status: "dead", error: message } as const)
          : ({
              status: "queued",
              runAt: iso(retryDelayMs(job.attempts, options.retryBaseMs)),
              error: message,
            } as const);
        if (!(await tx.finishJob(job.id, options.owner, outcome, iso()))) return;
        await withOutcome(tx);
        if (dead && handler.everyMs !== undefined) {
          await tx.enqueueJob({ ...again(job), id: deps.newId(), runAt: iso(handler.everyMs), createdAt: iso() });
        }
      });
      return;
    }
    clearTimeout(deadline);
    clearInterval(heartbeat);
    await settle(job, async (tx) => {
      // A recurring job keeps its row: queued again for its next run.
      const outcome =
        handler.everyMs !== undefined && !result?.again
          ? ({ status: "rescheduled", runAt: iso(handler.everyMs) } as const)
          : ({ status: "done" } as const);
      if (!(await tx.finishJob(job.id, options.owner, outcome, iso()))) return;
      await withOutcome(tx);
      if (result?.again) await tx.enqueueJob({ ...again(job), id: deps.newId(), runAt: iso(), createdAt: iso() });
    });
    if (result?.again) wake();
    // The next run of a recurring job is due in `everyMs`: look then, not only at the next poll.
    else if (handler.everyMs !== undefined && !stopping.signal.aborted) setTimeout(wake, handler.everyMs).unref();
  };

  /** New work may be due (queued, or the timer): forget what was exhausted, and tick. */
  function wake(): void {
    exhausted.clear();
    if (!stopping.signal.aborted) scheduleTick(commitEveryMs);
  }

  // Every recurring job runs at start (a session that went idle while the server was down ends now) and
  // is checked for on its period, so one lost to a crash between runs comes back.
  const recurring = handlers.filter((handler) => handler.everyMs !== undefined);
  const ensureTimers = recurring.map((handler) => {
    const ensure = setInterval(() => {
      ensureRecurring(handler, iso(handler.everyMs)).catch(() => {});
    }, handler.everyMs);
    ensure.unref();
    return ensure;
  });
  void Promise.all(recurring.map((handler) => ensureRecurring(handler, iso())))
    .catch((error: unknown) => log.error({ err: error }, "jobs: could not schedule the recurring jobs"))
    .finally(wake);

  return {
    enqueue,
    wake,
    async stop() {
      stopping.abort(new Error("server stopping"));
      if (pollTimer) clearTimeout(pollTimer);
      for (const ensure of ensureTimers) clearInterval(ensure);
      // Jobs under way see the abort and settle (requeued); ticks still run to record their outcomes.
      await Promise.allSettled([...executions]);
      while (ticking || settling.length > 0) {
        if (ticking) await ticking;
        else runTick();
      }
      tickTimer?.cancel();
      if (pollTimer) clearTimeout(pollTimer);
    },
  };
}

interface Outcome {
  job: Job;
  work: (tx: SystemTx) => Promise<void>;
  recorded: () => void;
}

/** The same job again (a recurring one's next run, or more of its work). */
function again(job: Job) {
  return {
    kind: job.kind,
    userId: job.userId,
    dedupeKey: job.dedupeKey,
    payload: job.payload,
    maxAttempts: job.maxAttempts,
  };
}
