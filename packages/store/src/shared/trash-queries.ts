import type { Entry } from "@cairn/core/entities";
import type { TrashItem, TrashType } from "@cairn/core/store/store-types";
import { columns, type EntryRow, isoTime, toEntry } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

/** Entries, thread restores and the trash: soft deletes, shown for 30 days, then purged. */

export async function getEntry(sql: SqlExec, userId: string, id: string): Promise<Entry | null> {
  const [row] = await sql.all<EntryRow>(`SELECT ${columns.entry} FROM entries WHERE user_id = ? AND id = ?`, [
    userId,
    id,
  ]);
  return row ? toEntry(row) : null;
}

export async function sessionEntries(sql: SqlExec, userId: string, sessionId: string, limit: number): Promise<Entry[]> {
  const rows = await sql.all<EntryRow>(
    `SELECT ${columns.entry} FROM entries WHERE user_id = ? AND session_id = ? AND deleted_at IS NULL
     ORDER BY created_at, id LIMIT ?`,
    [userId, sessionId, limit],
  );
  return rows.map(toEntry);
}

/** The live entries of the same thread just before and just after an entry, nearest first in each. */
export async function entryNeighbours(
  sql: SqlExec,
  userId: string,
  entry: { projectId: string; threadId: string; createdAt: string; id: string },
  count: number,
): Promise<{ before: Entry[]; after: Entry[] }> {
  const side = async (older: boolean) => {
    const rows = await sql.all<EntryRow>(
      `SELECT ${columns.entry} FROM entries
       WHERE user_id = ? AND project_id = ? AND thread_id = ? AND deleted_at IS NULL
         AND (created_at ${older ? "<" : ">"} ? OR (created_at = ? AND id ${older ? "<" : ">"} ?))
       ORDER BY created_at ${older ? "DESC" : "ASC"}, id ${older ? "DESC" : "ASC"} LIMIT ?`,
      [userId, entry.projectId, entry.threadId, entry.createdAt, entry.createdAt, entry.id, count],
    );
    return rows.map(toEntry);
  };
  return { before: await side(true), after: await side(false) };
}

/** How many live entries of its thread come before a live entry (its place, from 0); null when there is none such. */
export async function entryPosition(
  sql: SqlExec,
  userId: string,
  where: { projectId: string; threadId: string; entryId: string },
): Promise<number | null> {
  const [row] = await sql.all<{ before: number | string | null }>(
    `SELECT (SELECT COUNT(*) FROM entries o
             WHERE o.user_id = e.user_id AND o.project_id = e.project_id AND o.thread_id = e.thread_id
               AND o.deleted_at IS NULL
               AND (o.created_at < e.created_at OR (o.created_at = e.created_at AND o.id < e.id))) AS before
     FROM entries e
     WHERE e.user_id = ? AND e.project_id = ? AND e.thread_id = ? AND e.id = ? AND e.deleted_at IS NULL`,
    [userId, where.projectId, where.threadId, where.entryId],
  );
  return row ? Number(row.before) : null;
}

/** The live entries of a thread (in any project) whose id starts with `prefix`: an old short reference's rows. */
export async function entriesByIdPrefix(
  sql: SqlExec,
  userId: string,
  threadId: string,
  prefix: string,
  limit: number,
): Promise<Entry[]> {
  // substr, not LIKE: '_' is a wildcard there and an id character here (and collations differ between the engines).
  const rows = await sql.all<EntryRow>(
    `SELECT ${columns.entry} FROM entries
     WHERE user_id = ? AND thread_id = ? AND deleted_at IS NULL AND substr(id, 1, ?) = ?
     ORDER BY id LIMIT ?`,
    [userId, threadId, prefix.length, prefix, limit],
  );
  return rows.map(toEntry);
}

export async function setEntryDeleted(
  sql: SqlExec,
  userId: string,
  change: { id: string; deletedAt: string | null; seq: number; changedBy?: string | null },
): Promise<boolean> {
  const changed = await sql.run(
    `UPDATE entries SET deleted_at = ?, seq = ?, changed_by = ?
     WHERE user_id = ? AND id = ? AND deleted_at IS ${change.deletedAt === null ? "NOT NULL" : "NULL"}`,
    [change.deletedAt, change.seq, change.changedBy ?? null, userId, change.id],
  );
  return changed > 0;
}

export async function restoreThread(
  sql: SqlExec,
  userId: string,
  key: { projectId: string; threadId: string; at: string; seq: number },
): Promise<boolean> {
  const changed = await sql.run(
    `UPDATE threads SET deleted_at = NULL, updated_at = ?, seq = ?
     WHERE user_id = ? AND project_id = ? AND id = ? AND deleted_at IS NOT NULL`,
    [key.at, key.seq, userId, key.projectId, key.threadId],
  );
  return changed > 0;
}

interface TrashRow {
  type: TrashType;
  id: string;
  project_id: string;
  thread_id: string | null;
  deleted_at: string | Date;
  preview: string;
}

export async function listTrash(
  sql: SqlExec,
  userId: string,
  query: { projectId?: string | undefined; limit: number; offset: number },
): Promise<{ items: TrashItem[]; total: number }> {
  const project = query.projectId === undefined ? "" : " AND project_id = ?";
  const scope = (extra: unknown[] = []) => [
    userId,
    ...(query.projectId === undefined ? [] : [query.projectId]),
    ...extra,
  ];
  const branches = [
    `SELECT 'thread' AS type, id, project_id, id AS thread_id, deleted_at, name AS preview
       FROM threads WHERE user_id = ? AND deleted_at IS NOT NULL${project}`,
    `SELECT 'entry' AS type, id, project_id, thread_id, deleted_at, substr(content, 1, 120) AS preview
       FROM entries WHERE user_id = ? AND deleted_at IS NOT NULL${project}`,
    `SELECT 'memory' AS type, id, project_id, NULL AS thread_id, deleted_at, substr(content, 1, 120) AS preview
       FROM memories WHERE user_id = ? AND deleted_at IS NOT NULL${project}`,
    // A personal task (no project) shows with every project's trash, as it does in lists.
    `SELECT 'task' AS type, id, COALESCE(project_id, '') AS project_id, NULL AS thread_id, deleted_at,
            substr(title, 1, 120) AS preview
       FROM tasks WHERE user_id = ? AND deleted_at IS NOT NULL${query.projectId === undefined ? "" : " AND (project_id = ? OR project_id IS NULL)"}`,
  ];
  const params = [...scope(), ...scope(), ...scope(), ...scope()];
  const [count] = await sql.all<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM (${branches.join(" UNION ALL ")}) AS trash`,
    params,
  );
  const rows = await sql.all<TrashRow>(
    `SELECT type, id, project_id, thread_id, deleted_at, preview FROM (${branches.join(" UNION ALL ")}) AS trash
     ORDER BY deleted_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  return {
    items: rows.map((row) => ({
      type: row.type,
      id: row.id,
      projectId: row.project_id,
      threadId: row.thread_id,
      deletedAt: isoTime(row.deleted_at),
      preview: row.preview,
    })),
    total: Number(count?.n ?? 0),
  };
}

export async function purgeTrashItem(
  sql: SqlExec,
  userId: string,
  type: TrashType,
  id: string,
  projectId?: string,
): Promise<boolean> {
  const project = projectId === undefined ? "" : " AND project_id = ?";
  const params = [userId, id, ...(projectId === undefined ? [] : [projectId])];
  if (type === "thread") {
    const threads = await sql.all<{ project_id: string }>(
      `SELECT project_id FROM threads WHERE user_id = ? AND id = ? AND deleted_at IS NOT NULL${project}`,
      params,
    );
    for (const thread of threads) {
      await sql.run("DELETE FROM entries WHERE user_id = ? AND project_id = ? AND thread_id = ?", [
        userId,
        thread.project_id,
        id,
      ]);
    }
    return (
      (await sql.run(`DELETE FROM threads WHERE user_id = ? AND id = ? AND deleted_at IS NOT NULL${project}`, params)) >
      0
    );
  }
  const table = type === "entry" ? "entries" : type === "task" ? "tasks" : "memories";
  return (
    (await sql.run(`DELETE FROM ${table} WHERE user_id = ? AND id = ? AND deleted_at IS NOT NULL${project}`, params)) >
    0
  );
}

export async function purgeTrashBefore(sql: SqlExec, before: string): Promise<number> {
  let purged = 0;
  purged += await sql.run(
    `DELETE FROM entries WHERE EXISTS (SELECT 1 FROM threads t WHERE t.user_id = entries.user_id
       AND t.project_id = entries.project_id AND t.id = entries.thread_id AND t.deleted_at < ?)`,
    [before],
  );
  purged += await sql.run("DELETE FROM threads WHERE deleted_at < ?", [before]);
  purged += await sql.run("DELETE FROM entries WHERE deleted_at < ?", [before]);
  purged += await sql.run("DELETE FROM memories WHERE deleted_at < ?", [before]);
  purged += await sql.run("DELETE FROM tasks WHERE deleted_at < ?", [before]);
  return purged;
}
