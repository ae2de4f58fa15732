import type { TaskListQuery } from "@cairn/core/store/store-types";
import type { Task } from "@cairn/core/task-entities";
import { isoTime, isoTimeOrNull } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

export const taskColumns =
  "id, project_id, title, description, status, priority, due_at, created_at, updated_at, completed_at, version, deleted_at";

export interface TaskRow {
  id: string;
  project_id: string | null;
  title: string;
  description: string;
  status: string;
  priority: string;
  due_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
  completed_at: string | Date | null;
  version: string;
  deleted_at: string | Date | null;
}

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    projectId: row.project_id,
    title: row.title,
    description: row.description,
    status: row.status as Task["status"],
    priority: row.priority as Task["priority"],
    dueAt: isoTimeOrNull(row.due_at),
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    completedAt: isoTimeOrNull(row.completed_at),
    version: row.version,
    deletedAt: isoTimeOrNull(row.deleted_at),
  };
}

export async function getTask(sql: SqlExec, userId: string, id: string): Promise<Task | null> {
  const [row] = await sql.all<TaskRow>(`SELECT ${taskColumns} FROM tasks WHERE user_id = ? AND id = ?`, [userId, id]);
  return row ? toTask(row) : null;
}

/** Writes this version of the task (insert or replace); the caller decided it wins. */
export async function putTask(
  sql: SqlExec,
  userId: string,
  task: Task,
  seq: number,
  changedBy: string | null,
): Promise<void> {
  await sql.run(
    `INSERT INTO tasks (user_id, id, project_id, title, description, status, priority, due_at, created_at, updated_at,
                        completed_at, version, deleted_at, seq, changed_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id, id) DO UPDATE SET project_id = excluded.project_id, title = excluded.title,
       description = excluded.description, status = excluded.status, priority = excluded.priority,
       due_at = excluded.due_at, updated_at = excluded.updated_at, completed_at = excluded.completed_at,
       version = excluded.version, deleted_at = excluded.deleted_at, seq = excluded.seq, changed_by = excluded.changed_by`,
    [
      userId,
      task.id,
      task.projectId,
      task.title,
      task.description,
      task.status,
      task.priority,
      task.dueAt,
      task.createdAt,
      task.updatedAt,
      task.completedAt,
      task.version,
      task.deletedAt,
      seq,
      changedBy,
    ],
  );
}

/** `%`, `_` and the escape character itself match literally. */
function likeLiteral(text: string): string {
  return text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`);
}

export async function listTasks(
  sql: SqlExec,
  userId: string,
  query: TaskListQuery,
): Promise<{ tasks: Task[]; total: number }> {
  let where = `user_id = ? AND deleted_at IS ${query.deleted ? "NOT NULL" : "NULL"}`;
  const params: unknown[] = [userId];
  const add = (clause: string, ...values: unknown[]) => {
    where += ` AND ${clause}`;
    params.push(...values);
  };
  if (query.projectId !== undefined) add("(project_id = ? OR project_id IS NULL)", query.projectId);
  if (query.statuses !== undefined && query.statuses.length > 0) {
    add(`status IN (${query.statuses.map(() => "?").join(", ")})`, ...query.statuses);
  }
  if (query.priority !== undefined) add("priority = ?", query.priority);
  if (query.dueBefore !== undefined) add("due_at < ?", query.dueBefore);
  if (query.dueAfter !== undefined) add("due_at >= ?", query.dueAfter);
  if (query.noDue) add("due_at IS NULL");
  if (query.completedSince !== undefined) add("completed_at >= ?", query.completedSince);
  if (query.completedUntil !== undefined) add("completed_at < ?", query.completedUntil);
  if (query.titleContains !== undefined)
    add("lower(title) LIKE ? ESCAPE '\\'", `%${likeLiteral(query.titleContains)}%`);
  const [count] = await sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM tasks WHERE ${where}`, params);
  // Open tasks first; among them the soonest due, then the oldest.
  const rows = await sql.all<TaskRow>(
    `SELECT ${taskColumns} FROM tasks WHERE ${where}
     ORDER BY CASE WHEN status = 'done' THEN 1 ELSE 0 END, CASE WHEN due_at IS NULL THEN 1 ELSE 0 END, due_at,
              created_at, id
     LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  return { tasks: rows.map(toTask), total: Number(count?.n ?? 0) };
}
