import type { Session } from "@cairn/core/entities";
import type { SessionListQuery } from "@cairn/core/store/store-types";
import { isoTime, isoTimeOrNull } from "../row-mappers";
import { attributionFilter } from "./attribution-filter";
import type { SqlExec } from "./sql-exec";

export const sessionColumns = "id, project_id, agent, started_at, last_activity_at, ended_at, summary";

export interface SessionRow {
  id: string;
  project_id: string;
  agent: string;
  started_at: string | Date;
  last_activity_at: string | Date;
  ended_at: string | Date | null;
  summary: string | null;
}

export function toSession(row: SessionRow): Session {
  return {
    id: row.id,
    projectId: row.project_id,
    agent: row.agent,
    startedAt: isoTime(row.started_at),
    lastActivityAt: isoTime(row.last_activity_at),
    endedAt: isoTimeOrNull(row.ended_at),
    summary: row.summary,
  };
}

export async function getSession(sql: SqlExec, userId: string, id: string): Promise<Session | null> {
  const [row] = await sql.all<SessionRow>(`SELECT ${sessionColumns} FROM sessions WHERE user_id = ? AND id = ?`, [
    userId,
    id,
  ]);
  return row ? toSession(row) : null;
}

export async function putSession(sql: SqlExec, userId: string, session: Session, seq: number): Promise<void> {
  await sql.run(
    `INSERT INTO sessions (user_id, id, project_id, agent, started_at, last_activity_at, ended_at, summary, seq)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id, id) DO UPDATE SET project_id = excluded.project_id, agent = excluded.agent,
       started_at = excluded.started_at, last_activity_at = excluded.last_activity_at,
       ended_at = excluded.ended_at, summary = excluded.summary, seq = excluded.seq`,
    [
      userId,
      session.id,
      session.projectId,
      session.agent,
      session.startedAt,
      session.lastActivityAt,
      session.endedAt,
      session.summary,
      seq,
    ],
  );
}

export async function touchSession(sql: SqlExec, userId: string, sessionId: string, at: string): Promise<void> {
  await sql.run("UPDATE sessions SET last_activity_at = ? WHERE user_id = ? AND id = ? AND last_activity_at < ?", [
    at,
    userId,
    sessionId,
    at,
  ]);
}

export async function listSessions(
  sql: SqlExec,
  userId: string,
  query: SessionListQuery,
): Promise<{ sessions: Session[]; total: number }> {
  const filter = attributionFilter(query, "started_at");
  const where = `user_id = ?${filter.sql}`;
  const params = [userId, ...filter.params];
  const [count] = await sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM sessions WHERE ${where}`, params);
  const rows = await sql.all<SessionRow>(
    `SELECT ${sessionColumns} FROM sessions WHERE ${where} ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  return { sessions: rows.map(toSession), total: Number(count?.n ?? 0) };
}

export async function findIdleSessions(
  sql: SqlExec,
  before: string,
  limit: number,
): Promise<{ userId: string; session: Session }[]> {
  const rows = await sql.all<SessionRow & { user_id: string }>(
    `SELECT user_id, ${sessionColumns} FROM sessions WHERE ended_at IS NULL AND last_activity_at < ?
     ORDER BY last_activity_at LIMIT ?`,
    [before, limit],
  );
  return rows.map((row) => ({ userId: row.user_id, session: toSession(row) }));
}
