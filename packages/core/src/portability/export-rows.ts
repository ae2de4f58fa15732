import type { Entry, Memory, Session, Thread } from "../entities";
import type { FeedReads } from "../store/store-roles";
import { changeExported, syncedTypes } from "../synced/synced-types";
import type { Task } from "../task-entities";

/** One exported record: what `cairn export --format jsonl` writes, one per line, and `cairn import` reads. */
export type ExportRow =
  | { type: "session"; session: Session }
  | { type: "thread"; thread: Thread }
  | { type: "entry"; entry: Entry }
  | { type: "memory"; memory: Memory }
  | { type: "task"; task: Task }
  /** Last: an import ends a session after its rows are in, so the summary it carries is already there. */
  | { type: "session.end"; id: string; endedAt: string; summary: string | null };

export interface ExportFilter {
  projectId?: string | undefined;
  since?: string | undefined;
}

/** Rows read from the change feed per query. */
const pageSize = 1000;

/**
 * Every live row of a user, read from the change feed (each row once, at its
 * latest version), containers first: sessions and threads in a first pass,
 * then entries, memories and tasks, so an import never meets an entry before
 * its thread, then one `session.end` per ended session (an imported session
 * ends after its summary memory is in, so the new server writes no second
 * summary). Deleted rows are left out. `since` keeps rows written or
 * changed since then; `project` one project's rows (and the personal tasks).
 */
export async function* exportRows(store: FeedReads, filter: ExportFilter): AsyncGenerator<ExportRow> {
  const horizon = await store.changeHorizon();
  // The entries of a deleted thread stay out with it (they are not deleted one by one).
  const deletedThreads = new Set<string>();
  const ended: ExportRow[] = [];
  for (const pass of [1, 2] as const) {
    let cursor = 0;
    for (;;) {
      const changes = await store.changesSince(cursor, pageSize, { upTo: horizon });
      if (changes.length === 0) break;
      cursor = changes[changes.length - 1]?.seq ?? cursor;
      for (const change of changes) {
        if (change.type === "thread" && change.thread.deletedAt !== null) {
          deletedThreads.add(`${change.thread.projectId}/${change.thread.id}`);
        }
        if (syncedTypes[change.type].exportPass !== pass) continue;
        if (change.type === "entry" && deletedThreads.has(`${change.entry.projectId}/${change.entry.threadId}`))
          continue;
        const row = changeExported(change, filter) as ExportRow | null;
        if (!row) continue;
        yield row;
        if (row.type === "session" && row.session.endedAt !== null) {
          ended.push({
            type: "session.end",
            id: row.session.id,
            endedAt: row.session.endedAt,
            summary: row.session.summary,
          });
        }
      }
      if (changes.length < pageSize) break;
    }
  }
  yield* ended;
}
