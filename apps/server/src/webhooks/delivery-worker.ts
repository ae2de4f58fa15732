import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import type { MessagePort } from "node:worker_threads";
import { createIdGenerator } from "@cairn/core/ids";
import { addressPolicyOf } from "@cairn/core/webhooks/address-policy";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { type JobRunnerOptions, startJobRunner } from "../jobs/job-runner";
import { openServerStore } from "../open-server-store";
import { deliveryJob } from "./delivery-job";

/** What the server hands its delivery thread: where the database is, and the runner's settings. */
export interface DeliveryWorkerData {
  /** As `openServerStore` takes it; on SQLite with the process's shared write lock and this thread's id in it. */
  store: Parameters<typeof openServerStore>[0];
  /** The hosts webhooks may reach although internal (see address-policy.ts). */
  webhookAllowHosts: string;
  runner: JobRunnerOptions;
}

/** Server → thread: new deliveries were queued (claim now), or stop (requeue what runs, close, exit). */
export type ToDeliveryWorker = { type: "wake" } | { type: "stop" };

/** Thread → server: its log lines (the server's logger writes them). */
export interface FromDeliveryWorker {
  type: "log";
  level: "info" | "warn" | "error";
  fields: Record<string, unknown>;
  message: string;
}

/**
 * The delivery thread's body: its own connection to the database and a job
 * runner that claims only `webhook.deliver` jobs, exactly as a second server
 * process would (the job table's leases already make that safe). Signing,
 * the HTTP round trips and the bookkeeping of thousands of deliveries then
 * never share the event loop that answers writes.
 */
export async function runDeliveryWorker(port: MessagePort, data: DeliveryWorkerData): Promise<void> {
  const logAt =
    (level: "info" | "warn" | "error") =>
    (fields: object, message: string): void =>
      port.postMessage({ type: "log", level, fields: plainFields(fields), message } satisfies FromDeliveryWorker);
  const log = { info: logAt("info"), warn: logAt("warn"), error: logAt("error") };

  lowerThisThreadsPriority();
  const store = await openServerStore(data.store);
  const now = () => new Date();
  const runner = startJobRunner(
    { store, now, newId: createIdGenerator() },
    [deliveryJob({ store, secrets: nodeSecrets, now, webhookPolicy: addressPolicyOf(data.webhookAllowHosts) })],
    data.runner,
    log,
  );
  port.on("message", (message: ToDeliveryWorker) => {
    if (message.type === "wake") {
      runner.wake();
      return;
    }
    void runner
      .stop()
      .then(() => store.close())
      .catch((error: unknown) => log.error({ err: error }, "deliveries: stopping failed"))
      // Closing the port lets the thread end.
      .finally(() => port.close());
  });
}

/** Log fields as plain data: an Error does not cross threads with its message and stack intact everywhere. */
function plainFields(fields: object): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [
      key,
      value instanceof Error ? { type: value.name, message: value.message, stack: value.stack } : value,
    ]),
  );
}

/**
 * On Linux a thread has its own nice value, and `/proc/thread-self` names this one: at nice 10 the
 * request thread gets the CPU first whenever both want it, so a fan-out yields to writes even on a small
 * machine. Elsewhere, or where /proc is missing, the thread keeps the process's priority.
 */
function lowerThisThreadsPriority(): void {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, 10);
  } catch {
    // not Linux, or not permitted: run at the process's priority
  }
}
