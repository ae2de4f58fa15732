import type { EmbeddingRef, NearestQuery, StoredEmbedding, VectorHit } from "@cairn/core/store/store-types";
import { isoTime } from "../row-mappers";
import { attributionFilter } from "./attribution-filter";
import type { SqlExec } from "./sql-exec";

/**
 * Embeddings of entries, memories and tasks for hybrid search (issue 6).
 * Vectors are stored unit-length, so cosine similarity is a dot product. Each
 * adapter says how a vector is stored (a float32 BLOB on SQLite, real[] on
 * PostgreSQL) and how similarity is computed in SQL (sqlite-vec or a
 * registered function; pgvector or arithmetic over the arrays).
 */
export interface VectorDialect {
  /** A unit vector as the database column takes it. */
  encode(vector: Float32Array): unknown;
  /** SQL of the similarity between `column` and one `?` parameter (the query vector). */
  similarity(column: string): string;
}

export async function putEmbeddings(
  sql: SqlExec,
  dialect: VectorDialect,
  userId: string,
  rows: StoredEmbedding[],
  at: string,
): Promise<void> {
  for (const row of rows) {
    await sql.run(
      `INSERT INTO embeddings (user_id, type, id, model, vector, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (user_id, type, id) DO UPDATE
       SET model = excluded.model, vector = excluded.vector, updated_at = excluded.updated_at`,
      [userId, row.type, row.id, row.model, dialect.encode(unit(row.vector)), at],
    );
  }
}

export async function deleteEmbeddings(sql: SqlExec, userId: string, refs: EmbeddingRef[]): Promise<void> {
  for (const ref of refs) {
    await sql.run("DELETE FROM embeddings WHERE user_id = ? AND type = ? AND id = ?", [userId, ref.type, ref.id]);
  }
}

export async function countEmbeddings(sql: SqlExec, userId: string, model: string): Promise<number> {
  const [row] = await sql.all<{ n: number | string }>(
    "SELECT COUNT(*) AS n FROM embeddings WHERE user_id = ? AND model = ?",
    [userId, model],
  );
  return Number(row?.n ?? 0);
}

interface NearestRow {
  id: string;
  project_id: string | null;
  session_id: string | null;
  snippet: string;
  at: string | Date;
  similarity: number | string;
  thread_id?: string;
  author?: string;
  kind?: string;
  title?: string;
  status?: string;
}

/**
 * The live rows of one type nearest to a query vector, with the search
 * filters. Every vector of the user's rows of that type is compared (no
 * approximate index), which is what sqlite-vec's and pgvector's exact search
 * do too; hybrid search asks for a few dozen.
 */
export async function nearestRows(
  sql: SqlExec,
  dialect: VectorDialect,
  userId: string,
  query: NearestQuery,
): Promise<VectorHit[]> {
  const vector = dialect.encode(unit(query.vector));
  const similarity = dialect.similarity("v.vector");
  const base = [vector, userId, query.type, query.model];
  let rows: NearestRow[];
  if (query.type === "entry") {
    const filter = attributionFilter(query, "e.created_at");
    rows = await sql.all<NearestRow>(
      `SELECT e.id, e.project_id, e.session_id, substr(e.content, 1, 240) AS snippet, e.created_at AS at,
              e.thread_id, e.author, ${similarity} AS similarity
       FROM embeddings v JOIN entries e ON e.user_id = v.user_id AND e.id = v.id
       WHERE v.user_id = ? AND v.type = ? AND v.model = ? AND e.deleted_at IS NULL
         AND NOT EXISTS (SELECT 1 FROM threads t WHERE t.user_id = e.user_id AND t.project_id = e.project_id
                         AND t.id = e.thread_id AND t.deleted_at IS NOT NULL)
         ${filter.sql.replaceAll("project_id", "e.project_id").replaceAll("session_id", "e.session_id")}
       ORDER BY similarity DESC, e.created_at DESC LIMIT ?`,
      [...base, ...filter.params, query.limit],
    );
  } else if (query.type === "memory") {
    const filter = attributionFilter(query, "m.updated_at");
    rows = await sql.all<NearestRow>(
      `SELECT m.id, m.project_id, m.session_id, substr(m.content, 1, 240) AS snippet, m.updated_at AS at,
              m.kind, ${similarity} AS similarity
       FROM embeddings v JOIN memories m ON m.user_id = v.user_id AND m.id = v.id
       WHERE v.user_id = ? AND v.type = ? AND v.model = ? AND m.deleted_at IS NULL
         ${filter.sql.replaceAll("project_id", "m.project_id").replaceAll("session_id", "m.session_id")}
       ORDER BY similarity DESC, m.updated_at DESC LIMIT ?`,
      [...base, ...filter.params, query.limit],
    );
  } else {
    // Tasks carry no session; a project's search takes the personal tasks too.
    if (query.sessionId !== undefined) return [];
    const filter = attributionFilter({ since: query.since, until: query.until }, "t.updated_at");
    const project = query.projectId ?? null;
    rows = await sql.all<NearestRow>(
      `SELECT t.id, t.project_id, NULL AS session_id, substr(t.title, 1, 240) AS snippet, t.updated_at AS at,
              t.title, t.status, ${similarity} AS similarity
       FROM embeddings v JOIN tasks t ON t.user_id = v.user_id AND t.id = v.id
       WHERE v.user_id = ? AND v.type = ? AND v.model = ? AND t.deleted_at IS NULL
         AND (CAST(? AS TEXT) IS NULL OR t.project_id = ? OR t.project_id IS NULL)${filter.sql}
       ORDER BY similarity DESC, t.updated_at DESC LIMIT ?`,
      [...base, project, project, ...filter.params, query.limit],
    );
  }
  return rows.map((row) => ({
    type: query.type,
    id: row.id,
    snippet: row.snippet,
    similarity: Math.round(Number(row.similarity) * 1e6) / 1e6,
    project: row.project_id,
    session: row.session_id,
    createdAt: isoTime(row.at),
    ...(row.thread_id !== undefined ? { thread: row.thread_id } : {}),
    ...(row.author !== undefined ? { author: row.author } : {}),
    ...(row.kind !== undefined ? { kind: row.kind } : {}),
    ...(row.title !== undefined ? { title: row.title } : {}),
    ...(row.status !== undefined ? { status: row.status } : {}),
  }));
}

/** The vector scaled to length 1 (a zero vector stays zero: it matches nothing). */
export function unit(vector: ArrayLike<number>): Float32Array {
  let norm = 0;
  for (let index = 0; index < vector.length; index++) norm += (vector[index] ?? 0) ** 2;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const out = new Float32Array(vector.length);
  for (let index = 0; index < vector.length; index++) out[index] = (vector[index] ?? 0) * scale;
  return out;
}
