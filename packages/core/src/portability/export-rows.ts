import type { Entry, Memory, Session, Thread } from "../entities";
import type { FeedReads } from "../store/store-roles";
import type { Change } from "../store/store-types";
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
  for (const pass of [
    ["session", "thread"],
    ["entry", "memory", "task"],
  ] as const) {
    let cursor = 0;
    for (;;) {
      const changes = await store.changesSince(cursor, pageSize, { upTo: horizon });
      if (changes.length === 0) break;
      cursor = changes[changes.length - 1]?.seq ?? cursor;
      for (const change of changes) {
        if (change.type === "thread" && change.thread.deletedAt !== null) {
          deletedThreads.add(`${change.thread.projectId}/${change.thread.id}`);
        }
        if (!(pass as readonly string[]).includes(change.type)) continue;
        if (change.type === "entry" && deletedThreads.has(`${change.entry.projectId}/${change.entry.threadId}`))
          continue;
        const row = keep(change, filter);
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

function keep(change: Change, filter: ExportFilter): ExportRow | null {
  const since = filter.since ?? "";
  const inProject = (projectId: string | null) =>
    filter.projectId === undefined || projectId === filter.projectId || projectId === null;
  switch (change.type) {
    case "session":
      return inProject(change.session.projectId) && change.session.lastActivityAt >= since
        ? { type: "session", session: change.session }
        : null;
    case "thread":
      return change.thread.deletedAt === null && inProject(change.thread.projectId) && change.thread.updatedAt >= since
        ? { type: "thread", thread: change.thread }
        : null;
    case "entry":
      return change.entry.deletedAt === null && inProject(change.entry.projectId) && change.entry.createdAt >= since
        ? { type: "entry", entry: change.entry }
        : null;
    case "memory":
      return change.memory.deletedAt === null && inProject(change.memory.projectId) && change.memory.updatedAt >= since
        ? { type: "memory", memory: change.memory }
        : null;
    case "task":
      return change.task.deletedAt === null && inProject(change.task.projectId) && change.task.updatedAt >= since
        ? { type: "task", task: change.task }
        : null;
    default:
      return null;
  }
}
