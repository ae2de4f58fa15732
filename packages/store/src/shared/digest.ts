import type { Digest } from "@cairn/core/store/store-types";
import { isoTimeOrNull } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

/** A row as the digest reads it (column names of the tables). */
export type DigestRow = Record<string, string | Date | null>;
type Row = DigestRow;

/** Per type: the columns to read, the time a `since` filter applies to, and what must match exactly. */
const sources: {
  type: string;
  table: string;
  columns: string;
  time: string;
  key: (row: Row) => string;
  fingerprint: (row: Row) => string;
}[] = [
  {
    type: "thread",
    table: "threads",
    columns: "project_id, id, name, status, deleted_at",
    time: "updated_at",
    key: (row) => `${row.project_id}/${row.id}`,
    fingerprint: (row) => `${row.name}|${row.status}|${time(row.deleted_at)}`,
  },
  {
    type: "entry",
    table: "entries",
    columns: "id, content, session_id, deleted_at",
    time: "created_at",
    key: (row) => String(row.id),
    fingerprint: (row) => `${row.content}|${row.session_id ?? ""}|${time(row.deleted_at)}`,
  },
  {
    type: "memory",
    table: "memories",
    columns: "id, version, content, deleted_at",
    time: "updated_at",
    key: (row) => String(row.id),
    fingerprint: (row) => `${row.version}|${row.content}|${time(row.deleted_at)}`,
  },
  {
    type: "task",
    table: "tasks",
    columns: "id, version, title, status, deleted_at",
    time: "updated_at",
    key: (row) => String(row.id),
    fingerprint: (row) => `${row.version}|${row.title}|${row.status}|${time(row.deleted_at)}`,
  },
  {
    type: "session",
    table: "sessions",
    columns: "id, project_id, ended_at",
    time: "started_at",
    key: (row) => String(row.id),
    fingerprint: (row) => `${row.project_id}|${time(row.ended_at)}`,
  },
];

function time(value: string | Date | null | undefined): string {
  return isoTimeOrNull(value ?? null) ?? "";
}

/**
 * Counts and hashes per synced type (GET /api/sync/digest, and the check
 * after `cairn recover`). Each row contributes its id and what a restore
 * must bring back exactly (content, version, deletion), normalised in
 * JavaScript and sorted by id there, so SQLite and PostgreSQL (text vs
 * timestamptz, collations) produce the same hash for the same rows.
 * `exclude` leaves out rows the caller knows the server does not have yet.
 */
function whereOf(
  source: { time: string },
  userId: string,
  query: { projectId?: string | undefined; since?: string | undefined },
) {
  let where = "user_id = ?";
  const params: unknown[] = [userId];
  if (query.projectId !== undefined) {
    where += " AND project_id = ?";
    params.push(query.projectId);
  }
  if (query.since !== undefined) {
    where += ` AND ${source.time} >= ?`;
    params.push(query.since);
  }
  return { where, params };
}

/** The row counts a digest with the same filter covers (a recovery's dry run). */
export async function countRows(
  sql: SqlExec,
  userId: string,
  query: { projectId?: string | undefined; since?: string | undefined },
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const source of sources) {
    const { where, params } = whereOf(source, userId, query);
    const [row] = await sql.all<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM ${source.table} WHERE ${where}`,
      params,
    );
    counts[source.type] = Number(row?.n ?? 0);
  }
  return counts;
}

export async function computeDigest(
  sql: SqlExec,
  userId: string,
  query: { projectId?: string | undefined; since?: string | undefined },
  exclude: (type: string, id: string) => boolean = () => false,
  /** Rows to count instead of the excluded ones (a recovery passes the server's versions of rows it kept). */
  extra: { type: string; row: DigestRow }[] = [],
): Promise<Digest> {
  // Loaded here, not at the top: node:crypto costs every CLI start 3 to 5 ms (this module is on every store's path).
  const { createHash } = await import("node:crypto");
  const digest: Digest = {};
  for (const source of sources) {
    const { where, params } = whereOf(source, userId, query);
    const rows = (await sql.all<Row>(`SELECT ${source.columns} FROM ${source.table} WHERE ${where}`, params))
      .map((row) => ({ id: source.key(row), fp: source.fingerprint(row) }))
      .filter((row) => !exclude(source.type, row.id))
      .concat(
        extra
          .filter((item) => item.type === source.type)
          .map((item) => ({ id: source.key(item.row), fp: source.fingerprint(item.row) })),
      );
    rows.sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
    const hash = createHash("sha256");
    for (const row of rows) hash.update(`${row.id}\t${row.fp}\n`);
    digest[source.type] = { count: rows.length, hash: hash.digest("hex") };
  }
  return digest;
}
