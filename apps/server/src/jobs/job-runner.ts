import type { Job, NewJob } from "@cairn/core/jobs/job-entities";
import type { Store, StoreWriter } from "@cairn/core/store-port";

export interface JobContext {
  /** Aborted when the server stops or the job overruns its time limit. */
  signal: AbortSignal;
  now: () => Date;
}

export interface JobHandler {
  kind: string;
  maxAttempts: number;
  /** A run longer than this is abandoned (its lease is no longer renewed; another worker may retry it). */
  timeoutMs: number;
  /**
   * Runs one job. Throwing retries it later; `{ again: true }` queues it again at once (more work
   * left); `{ deferMs }` puts it back untried (the attempt is not counted), due after that delay.
   */
  run(job: Job, context: JobContext): Promise<undefined | { again: true } | { deferMs: number }>;
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
    try {
      deps.faultPoint?.("job.running");
      const result = await handler.run(job, { signal, now: deps.now });
      if (signal.aborted) throw signal.reason ?? new Error("aborted");
      if (result && "deferMs" in result) {
        await finish(job, handler, async (tx) => {
          const outcome = { status: "queued", runAt: iso(result.deferMs), error: "deferred", refund: true } as const;
          await tx.finishJob(job.id, options.owner, outcome, iso());
        });
        return;
      }
      await finish(job, handler, async (tx) => {
        if (!(await tx.finishJob(job.id, options.owner, { status: "done" }, iso()))) return;
        if (result?.again) {
          await tx.enqueueJob({ ...again(job), id: deps.newId(), runAt: iso(), createdAt: iso() });
        } else if (handler.everyMs !== undefined) {
          await tx.enqueueJob({ ...again(job), id: deps.newId(), runAt: iso(handler.everyMs), createdAt: iso() });
        }
      });
      if (result && "again" in result) wake();
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
    const jobs = await deps.store.transaction((tx) =>
      tx.claimJobs({
        owner: options.owner,
        kinds: [...byKind.keys()],
        limit: free,
        now: iso(),
        leaseUntil: iso(options.leaseMs),
      }),
    );
    for (const job of jobs) {
      const handler = byKind.get(job.kind) as JobHandler;
      const done = execute(job, handler).finally(() => {
        running.delete(job.id);
        wake();
      });
      running.set(job.id, done);
    }
  };

  function wake(): void {
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
          wake();
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
