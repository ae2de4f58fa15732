import type { Memory } from "@cairn/core/entities";
import type { MemoryListQuery } from "@cairn/core/store/store-types";
import { isoTime, isoTimeOrNull } from "../row-mappers";
import { attributionFilter } from "./attribution-filter";
import type { SqlExec } from "./sql-exec";

export const memoryColumns =
  "id, project_id, session_id, kind, content, tags, created_at, updated_at, version, deleted_at";

export interface MemoryRow {
  id: string;
  project_id: string;
  session_id: string | null;
  kind: string;
  content: string;
  tags: string;
  created_at: string | Date;
  updated_at: string | Date;
  version: string;
  deleted_at: string | Date | null;
}

export function toMemory(row: MemoryRow): Memory {
  return {
    id: row.id,
    projectId: row.project_id,
    sessionId: row.session_id,
    kind: row.kind as Memory["kind"],
    content: row.content,
    tags: JSON.parse(row.tags) as string[],
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    version: row.version,
    deletedAt: isoTimeOrNull(row.deleted_at),
  };
}

export async function getMemory(sql: SqlExec, userId: string, id: string): Promise<Memory | null> {
  const [row] = await sql.all<MemoryRow>(`SELECT ${memoryColumns} FROM memories WHERE user_id = ? AND id = ?`, [
    userId,
    id,
  ]);
  return row ? toMemory(row) : null;
}

/** Writes this version of the memory (insert or replace); the caller decided it wins. */
export async function putMemory(
  sql: SqlExec,
  userId: string,
  memory: Memory,
  seq: number,
  changedBy: string | null,
): Promise<void> {
  await sql.run(
    `INSERT INTO memories (user_id, id, project_id, session_id, kind, content, tags, created_at, updated_at, version,
                           deleted_at, seq, changed_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (user_id, id) DO UPDATE SET project_id = excluded.project_id, session_id = excluded.session_id,
       kind = excluded.kind, content = excluded.content, tags = excluded.tags, updated_at = excluded.updated_at,
       version = excluded.version, deleted_at = excluded.deleted_at, seq = excluded.seq, changed_by = excluded.changed_by`,
    [
      userId,
      memory.id,
      memory.projectId,
      memory.sessionId,
      memory.kind,
      memory.content,
      JSON.stringify(memory.tags),
      memory.createdAt,
      memory.updatedAt,
      memory.version,
      memory.deletedAt,
      seq,
      changedBy,
    ],
  );
}

export async function listMemories(
  sql: SqlExec,
  userId: string,
  query: MemoryListQuery,
): Promise<{ memories: Memory[]; total: number }> {
  const filter = attributionFilter(query, "updated_at");
  let where = `user_id = ?${filter.sql} AND deleted_at IS ${query.deleted ? "NOT NULL" : "NULL"}`;
  const params: unknown[] = [userId, ...filter.params];
  if (query.kind !== undefined) {
    where += " AND kind = ?";
    params.push(query.kind);
  }
  if (query.tag !== undefined) {
    // Tags are stored as a JSON array of strings without quotes or commas inside.
    where += " AND tags LIKE ?";
    params.push(`%${JSON.stringify(query.tag)}%`);
  }
  const [count] = await sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM memories WHERE ${where}`, params);
  const rows = await sql.all<MemoryRow>(
    `SELECT ${memoryColumns} FROM memories WHERE ${where} ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  return { memories: rows.map(toMemory), total: Number(count?.n ?? 0) };
}
