import { closeIdleSessions, purgeExpiredTrash } from "@cairn/core/operations/safety";
import type { Store } from "@cairn/core/store/store-port";
import type { JobHandler } from "./job-runner";

/** Finished jobs are kept this long for `cairn admin jobs`, then deleted; dead ones stay. */
const doneJobRetentionMs = 7 * 24 * 3_600_000;

/**
 * The server's periodic upkeep as recurring jobs: end sessions idle for 30
 * minutes, purge what has been in the trash for 30 days (and old finished
 * jobs). Both re-check each row in its own transaction, so a run repeated
 * after a crash changes nothing twice.
 */
export function maintenanceJobs(
  deps: { store: Store; now: () => Date },
  everyMs: number,
  log: { info(fields: object, message: string): void },
): JobHandler[] {
  return [
    {
      kind: "sessions.close_idle",
      maxAttempts: 8,
      timeoutMs: 5 * 60_000,
      everyMs,
      async run() {
        const ended = await closeIdleSessions(deps);
        if (ended > 0) log.info({ ended }, "jobs: idle sessions ended");
        return undefined;
      },
    },
    {
      kind: "trash.purge",
      maxAttempts: 8,
      timeoutMs: 5 * 60_000,
      everyMs,
      async run() {
        const purged = await purgeExpiredTrash(deps);
        const before = new Date(deps.now().getTime() - doneJobRetentionMs).toISOString();
        const jobs = await deps.store.system.transaction((tx) => tx.purgeDoneJobs(before));
        if (purged > 0 || jobs > 0) log.info({ purged, jobs }, "jobs: trash and finished jobs purged");
        return undefined;
      },
    },
  ];
}
