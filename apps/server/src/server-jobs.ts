import { closeIdleSessions, purgeExpiredTrash } from "@cairn/core/operations/safety";
import type { Store } from "@cairn/core/store-port";

interface JobLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * The server's periodic work: end sessions idle for 30 minutes and purge
 * what has been in the trash for 30 days. Both run at start (so a session
 * that went idle while the server was down ends on the next start) and then
 * every `intervalMs`. Both are idempotent and safe to run from several
 * server processes at once (each change re-checks the row in its transaction).
 * Issue 7 moves them onto the durable job table.
 */
export function startJobs(deps: { store: Store; now: () => Date }, intervalMs: number, log: JobLog) {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = () => {
    running = (async () => {
      try {
        const ended = await closeIdleSessions(deps);
        const purged = await purgeExpiredTrash(deps);
        if (ended > 0 || purged > 0) log.info({ ended, purged }, "jobs: idle sessions ended, trash purged");
      } catch (error) {
        if (!stopped) log.error({ err: error }, "jobs: a periodic job failed; it runs again next time");
      }
    })();
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
