import type { ProjectSummary } from "@cairn/core/store/store-types";
import { isoTime, isoTimeOrNull } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

type Counted = { project_id: string | null; n: number | string; last: string | Date | null };

/**
 * A user's projects with what each holds (live rows only) and when it was last active, most
 * recently active first; the personal (project-less) tasks counted apart. One grouped query per
 * table: a user has tens of projects, and each count walks the table's (user, project) index.
 */
export async function listProjects(
  sql: SqlExec,
  userId: string,
  query: { limit: number; offset: number },
): Promise<{ projects: ProjectSummary[]; total: number; personalTasks: number }> {
  const projects = await sql.all<{ id: string; name: string; created_at: string | Date }>(
    "SELECT id, name, created_at FROM projects WHERE user_id = ?",
    [userId],
  );
  const grouped = async (text: string) =>
    new Map((await sql.all<Counted>(text, [userId])).map((row) => [row.project_id ?? "", row]));
  const [threads, entries, memories, tasks, sessions] = await Promise.all([
    grouped(
      "SELECT project_id, COUNT(*) AS n, MAX(updated_at) AS last FROM threads WHERE user_id = ? AND deleted_at IS NULL GROUP BY project_id",
    ),
    grouped(
      `SELECT e.project_id, COUNT(*) AS n, MAX(e.created_at) AS last FROM entries e
       JOIN threads t ON t.user_id = e.user_id AND t.project_id = e.project_id AND t.id = e.thread_id
       WHERE e.user_id = ? AND e.deleted_at IS NULL AND t.deleted_at IS NULL GROUP BY e.project_id`,
    ),
    grouped(
      "SELECT project_id, COUNT(*) AS n, MAX(updated_at) AS last FROM memories WHERE user_id = ? AND deleted_at IS NULL GROUP BY project_id",
    ),
    grouped(
      "SELECT project_id, COUNT(*) AS n, MAX(updated_at) AS last FROM tasks WHERE user_id = ? AND deleted_at IS NULL GROUP BY project_id",
    ),
    grouped(
      "SELECT project_id, COUNT(*) AS n, MAX(last_activity_at) AS last FROM sessions WHERE user_id = ? GROUP BY project_id",
    ),
  ]);
  const count = (rows: Map<string, Counted>, id: string) => Number(rows.get(id)?.n ?? 0);
  const summaries: ProjectSummary[] = projects.map((project) => {
    const lasts = [threads, entries, memories, tasks, sessions]
      .map((rows) => isoTimeOrNull(rows.get(project.id)?.last ?? null))
      .filter((time): time is string => time !== null)
      .sort();
    return {
      id: project.id,
      name: project.name,
      createdAt: isoTime(project.created_at),
      lastActivityAt: lasts.at(-1) ?? isoTime(project.created_at),
      threads: count(threads, project.id),
      entries: count(entries, project.id),
      memories: count(memories, project.id),
      tasks: count(tasks, project.id),
      sessions: count(sessions, project.id),
    };
  });
  summaries.sort(
    (left, right) => right.lastActivityAt.localeCompare(left.lastActivityAt) || left.id.localeCompare(right.id),
  );
  return {
    projects: summaries.slice(query.offset, query.offset + query.limit),
    total: summaries.length,
    personalTasks: count(tasks, ""),
  };
}
