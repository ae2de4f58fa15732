import type { Job, NewJob } from "@cairn/core/jobs/job-entities";
import type { Store, StoreWriter } from "@cairn/core/store-port";

export interface JobContext {
  /** Aborted when the server stops or the job overruns its time limit. */
  signal: AbortSignal;
  now: () => Date;
  /**
   * Writes that belong with this job's outcome (a delivery's log line): run in the transaction that
   * records it, and only if this worker still holds the job. One transaction instead of two.
   */
  withOutcome(work: (tx: StoreWriter) => Promise<void>): void;
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

interface RunnerLog {
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
  const running = new Map<string, Promise<void>>();
  const perPartition = options.perPartition ?? 4;
  const partitions = new Map<string, number>();
  /**
   * Sets of busy partitions known to leave nothing else to claim: a claim that skipped them came back
   * short. Claiming again with the same set would walk the same due rows (all of busy partitions) for
   * nothing, so it waits until a partition frees up, new work is queued (wake), or the poll timer.
   */
  const exhausted = new Set<string>();
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let polling: Promise<void> | null = null;
  let pollAgain = false;
  const iso = (offsetMs = 0) => new Date(deps.now().getTime() + offsetMs).toISOString();

  const enqueue: JobRunner["enqueue"] = async (job) => {
    const handler = byKind.get(job.kind);
    const added = await deps.store.transaction((tx) =>
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

  const finish = async (job: Job, handler: JobHandler, work: (tx: StoreWriter) => Promise<void>) =>
    deps.store.transaction(work).catch((error: unknown) => {
      log.error({ err: error, job: job.id, kind: handler.kind }, "jobs: could not record a job's outcome");
    });

  const execute = async (job: Job, handler: JobHandler) => {
    const overrun = new AbortController();
    const signal = AbortSignal.any([stopping.signal, overrun.signal]);
    const deadline = setTimeout(() => overrun.abort(new Error("job time limit reached")), handler.timeoutMs);
    const heartbeat = setInterval(
      () => {
        deps.store.transaction((tx) => tx.extendJobLease(job.id, options.owner, iso(options.leaseMs))).catch(() => {});
      },
      Math.max(50, Math.floor(options.leaseMs / 3)),
    );
    const outcomeWork: ((tx: StoreWriter) => Promise<void>)[] = [];
    const withOutcome = async (tx: StoreWriter) => {
      for (const work of outcomeWork) await work(tx);
    };
    try {
      deps.faultPoint?.("job.running");
      const result = await handler.run(job, {
        signal,
        now: deps.now,
        withOutcome: (work) => outcomeWork.push(work),
      });
      if (signal.aborted) throw signal.reason ?? new Error("aborted");
      await finish(job, handler, async (tx) => {
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
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (stopping.signal.aborted) {
        // Shutting down mid-job: back in the queue, due now, for the next start or another process.
        await finish(job, handler, async (tx) => {
          await tx.finishJob(job.id, options.owner, { status: "queued", runAt: iso(), error: message }, iso());
        });
        return;
      }
      const dead = job.attempts >= job.maxAttempts;
      log.warn({ job: job.id, kind: job.kind, attempt: job.attempts, dead, error: message }, "jobs: a job failed");
      await finish(job, handler, async (tx) => {
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
    } finally {
      clearTimeout(deadline);
      clearInterval(heartbeat);
    }
  };

  const poll = async () => {
    const free = options.concurrency - running.size;
    if (free <= 0 || stopping.signal.aborted) return;
    // A claim takes at most `perPartition` jobs and none of a partition already that busy here, so one
    // endpoint's deliveries never fill every slot.
    const limit = Math.min(free, perPartition);
    const skipPartitions = [...partitions].filter(([, count]) => count >= perPartition).map(([key]) => key);
    const skipKey = skipPartitions.sort().join("\n");
    if (skipPartitions.length > 0 && exhausted.has(skipKey)) return;
    const jobs = await deps.store.transaction((tx) =>
      tx.claimJobs({
        owner: options.owner,
        kinds: [...byKind.keys()],
        limit,
        now: iso(),
        leaseUntil: iso(options.leaseMs),
        skipPartitions,
      }),
    );
    if (jobs.length < limit && skipPartitions.length > 0) exhausted.add(skipKey);
    for (const job of jobs) {
      const handler = byKind.get(job.kind) as JobHandler;
      const partition = job.partitionKey;
      if (partition !== null) partitions.set(partition, (partitions.get(partition) ?? 0) + 1);
      const done = execute(job, handler).finally(() => {
        running.delete(job.id);
        // A freed slot: poll again, skipping what is known to be exhausted.
        if (partition !== null) {
          const left = (partitions.get(partition) ?? 1) - 1;
          if (left > 0) partitions.set(partition, left);
          else partitions.delete(partition);
        }
        kick();
      });
      running.set(job.id, done);
    }
    // A full claim may have left more due jobs: look again at once while slots are free.
    if (jobs.length === limit && running.size < options.concurrency) pollAgain = true;
  };

  /** New work may be due (queued, or the timer): forget what was exhausted, and poll. */
  function wake(): void {
    exhausted.clear();
    kick();
  }

  /** Polls now, or right after the poll under way. */
  function kick(): void {
    if (stopping.signal.aborted) return;
    if (polling) {
      pollAgain = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    polling = poll()
      .catch((error: unknown) => {
        if (!stopping.signal.aborted) log.error({ err: error }, "jobs: claiming failed; polling again");
      })
      .finally(() => {
        polling = null;
        if (stopping.signal.aborted) return;
        if (pollAgain) {
          pollAgain = false;
          kick();
          return;
        }
        timer = setTimeout(wake, options.pollMs);
        timer.unref();
      });
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
      if (timer) clearTimeout(timer);
      for (const ensure of ensureTimers) clearInterval(ensure);
      await polling;
      await Promise.allSettled(running.values());
    },
  };
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
