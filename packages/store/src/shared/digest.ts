import type { Change, Digest } from "@cairn/core/store/store-types";
import { changeFingerprint, changeKey } from "@cairn/core/synced/synced-types";
import { type ChangeSource, changeSources } from "../change-sources";
import type { SqlExec } from "./sql-exec";

/** The rows of one type a filter covers: by project, and by the type's time since then. */
function whereOf(
  source: Pick<ChangeSource, "time">,
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
  for (const source of changeSources) {
    const { where, params } = whereOf(source, userId, query);
    const [row] = await sql.all<{ n: number | string }>(
      `SELECT COUNT(*) AS n FROM ${source.table} WHERE ${where}`,
      params,
    );
    counts[source.type] = Number(row?.n ?? 0);
  }
  return counts;
}

/**
 * Counts and hashes per synced type (GET /api/sync/digest, and the check
 * after `cairn recover`). Each row contributes its key and its fingerprint
 * (the synced type's: what a restore must bring back exactly), normalised in
 * JavaScript and sorted by id there, so SQLite and PostgreSQL (text vs
 * timestamptz, collations) produce the same hash for the same rows.
 * `exclude` leaves out rows the caller knows the server does not have yet.
 */
export async function computeDigest(
  sql: SqlExec,
  userId: string,
  query: { projectId?: string | undefined; since?: string | undefined },
  exclude: (type: string, id: string) => boolean = () => false,
  /** Rows to count instead of the excluded ones (a recovery passes the server's versions of rows it kept). */
  extra: Change[] = [],
): Promise<Digest> {
  // Loaded here, not at the top: node:crypto costs every CLI start 3 to 5 ms (this module is on every store's path).
  const { createHash } = await import("node:crypto");
  const digest: Digest = {};
  for (const source of changeSources) {
    const { where, params } = whereOf(source, userId, query);
    const stored = await sql.all<Record<string, unknown>>(
      `SELECT ${source.columns} FROM ${source.table} WHERE ${where}`,
      params,
    );
    const rows = stored
      .map((row) => source.toChange({ ...row, seq: 0 }))
      .concat(extra.filter((change) => change.type === source.type))
      .map((change) => ({ id: changeKey(change), fp: changeFingerprint(change) }))
      .filter((row, index) => index >= stored.length || !exclude(source.type, row.id));
    rows.sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
    const hash = createHash("sha256");
    for (const row of rows) hash.update(`${row.id}\t${row.fp}\n`);
    digest[source.type] = { count: rows.length, hash: hash.digest("hex") };
  }
  return digest;
}
