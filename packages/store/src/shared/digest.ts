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

/** Rows a digest handles between two turns of the event loop. */
const slice = 2_000;

/**
 * A type's rows the filter covers: in pages by its integer key where it has one (entries), else at once.
 * The digest sorts them itself, so the pages' order is only the engine's.
 */
async function* pagesOf(
  sql: SqlExec,
  source: ChangeSource,
  where: string,
  params: unknown[],
): AsyncGenerator<Record<string, unknown>[]> {
  if (source.pagedBy === undefined) {
    yield await sql.all<Record<string, unknown>>(
      `SELECT ${source.columns} FROM ${source.table} WHERE ${where}`,
      params,
    );
    return;
  }
  const key = source.pagedBy;
  let after = -1;
  for (;;) {
    const page = await sql.all<Record<string, unknown>>(
      `SELECT ${key} AS page_key, ${source.columns} FROM ${source.table} WHERE ${where} AND ${key} > ?
       ORDER BY ${key} LIMIT ?`,
      [...params, after, digestPaging.rows],
    );
    if (page.length === 0) return;
    yield page;
    after = Number(page.at(-1)?.page_key);
    if (page.length < digestPaging.rows) return;
  }
}

/** Rows a paged type reads at once (a test makes it small to read many pages). */
export const digestPaging = { rows: 5_000 };

/** Lets the event loop run what is waiting (other requests) before the next slice. */
function breathe(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
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
    const rows: { id: string; fp: string }[] = [];
    // In pages and slices, letting other requests in between: a hundred thousand entries took the
    // server most of a second in one piece (measured), every other request waiting (npm run bench web).
    for await (const stored of pagesOf(sql, source, where, params)) {
      for (let first = 0; first < stored.length; first += slice) {
        for (const row of stored.slice(first, first + slice)) {
          const change = source.toChange({ ...row, seq: 0 });
          const id = changeKey(change);
          if (!exclude(source.type, id)) rows.push({ id, fp: changeFingerprint(change) });
        }
        await breathe();
      }
    }
    for (const change of extra.filter((each) => each.type === source.type)) {
      rows.push({ id: changeKey(change), fp: changeFingerprint(change) });
    }
    rows.sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
    await breathe();
    const hash = createHash("sha256");
    for (let start = 0; start < rows.length; start += slice) {
      for (const row of rows.slice(start, start + slice)) hash.update(`${row.id}\t${row.fp}\n`);
      await breathe();
    }
    digest[source.type] = { count: rows.length, hash: hash.digest("hex") };
  }
  return digest;
}
