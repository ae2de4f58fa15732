import { Worker } from "node:worker_threads";
import { ThreadWriteLock } from "@cairn/store/sqlite/thread-write-lock";
import type { JobRunnerOptions, RunnerLog } from "../jobs/job-runner";
import type { DeliveryWorkerData, FromDeliveryWorker, ToDeliveryWorker } from "./delivery-worker";

export interface DeliveryThread {
  /** New deliveries were queued: the thread claims them now rather than at its next poll. */
  wake(): void;
  /** Stops the thread: deliveries under way go back to the queue (see the job runner's stop). */
  stop(): Promise<void>;
}

/** The request thread's id in the SQLite write lock; delivery threads take 2, 3, … (one per start). */
export const requestThreadHolder = 1;

/** A thread that stopped on its own is started again after this long (its jobs wait out their leases). */
const restartDelayMs = 1_000;
/** How long a stop waits for the thread to requeue its jobs and close before it is terminated. */
const stopTimeoutMs = 20_000;

/**
 * Runs webhook deliveries on a worker thread of this process (delivery-worker.ts),
 * at a lower CPU priority where the OS allows: a fan-out of thousands of
 * deliveries then costs the request loop nothing but, on SQLite, turns of the
 * write lock, which the request thread gets first (`writeLock`) and the
 * thread takes at most every 25 ms. The thread logs through this process's
 * logger, and is started again if it dies; a thread that died holding the
 * write lock has it taken back.
 */
export function startDeliveryThread(
  script: string,
  settings: {
    store: Omit<DeliveryWorkerData["store"], "threadWriteLock">;
    /** SQLite: the buffer of the write lock the request thread's connection holds as `requestThreadHolder`. */
    writeLock: SharedArrayBuffer | undefined;
    /** The hosts webhooks may reach although internal (the server option, as text: it crosses threads). */
    webhookAllowHosts: string;
    runner: JobRunnerOptions;
  },
  log: RunnerLog,
): DeliveryThread {
  let stopping = false;
  let generation = 0;
  let worker: Worker;
  let exited: Promise<void>;
  let restart: NodeJS.Timeout | null = null;

  const start = () => {
    generation += 1;
    const holder = requestThreadHolder + generation;
    const data: DeliveryWorkerData = {
      store: {
        ...settings.store,
        threadWriteLock: settings.writeLock ? { buffer: settings.writeLock, holder } : undefined,
      },
      webhookAllowHosts: settings.webhookAllowHosts,
      runner: { ...settings.runner, owner: `${settings.runner.owner}:${generation}` },
    };
    worker = new Worker(script, { workerData: data });
    worker.on("message", (message: FromDeliveryWorker) => log[message.level](message.fields, message.message));
    worker.on("error", (error) => log.error({ err: error }, "deliveries: the delivery thread failed"));
    exited = new Promise((resolve) => {
      worker.once("exit", (code) => {
        // Ended mid-transaction (killed, or crashed): the lock must not stay with it.
        if (settings.writeLock) ThreadWriteLock.releaseIfHeldBy(settings.writeLock, holder);
        resolve();
        if (stopping) return;
        log.error({ code }, "deliveries: the delivery thread stopped; starting it again");
        restart = setTimeout(start, restartDelayMs);
        restart.unref();
      });
    });
  };
  start();

  return {
    wake() {
      if (!stopping) worker.postMessage({ type: "wake" } satisfies ToDeliveryWorker);
    },
    async stop() {
      stopping = true;
      if (restart) clearTimeout(restart);
      worker.postMessage({ type: "stop" } satisfies ToDeliveryWorker);
      const timeout = setTimeout(() => void worker.terminate(), stopTimeoutMs);
      await exited;
      clearTimeout(timeout);
    },
  };
}
