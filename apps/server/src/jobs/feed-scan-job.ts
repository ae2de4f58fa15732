import type { Store } from "@cairn/core/store/store-port";
import type { JobHandler, JobRunner } from "./job-runner";

/**
 * A recurring scan for a consumer of the change feed (embeddings, events):
 * queues one `userKind` job per user whose change counter is past the
 * consumer's cursor, held to one queued-or-running copy per user by its
 * dedupe key. Writes never queue anything themselves.
 */
export function feedScanJob(
  store: Store,
  scan: { kind: string; consumer: string; userKind: string; everyMs: number },
  runner: () => JobRunner,
): JobHandler {
  return {
    kind: scan.kind,
    maxAttempts: 8,
    timeoutMs: 60_000,
    everyMs: scan.everyMs,
    async run() {
      for (const userId of await store.system.usersBehindFeed(scan.consumer, 1000)) {
        await runner().enqueue({ kind: scan.userKind, userId, dedupeKey: `${scan.userKind}:${userId}`, payload: {} });
      }
      return undefined;
    },
  };
}
