/** How long things last (SPEC sections 2 and 6), in one dependency-free module the CLI's hot paths can import. */

/** A session ends after this long without activity. */
export const sessionIdleMs = 30 * 60_000;

/** Rows stay in the trash this long, then they are purged (on the server by a job, in each store by its drain). */
export const trashRetentionMs = 30 * 86_400_000;

/** Whether a session is still open at `now`: not ended, and active within the idle limit. */
export function sessionOpen(session: { endedAt: string | null; lastActivityAt: string }, now: Date): boolean {
  return session.endedAt === null && now.getTime() - Date.parse(session.lastActivityAt) < sessionIdleMs;
}
