import type { SearchHit } from "@cairn/core/entities";
import { pgTsQuery } from "@cairn/core/search-terms";
import type { EntrySearchQuery, MemoryHit, MemorySearchQuery, TaskHit, TaskSearchQuery } from "@cairn/core/store-port";
import { isoTime } from "../row-mappers";
import { searchWindow } from "../search-window";
import { attributionFilter } from "../shared/attribution-filter";
import { numberedFrom } from "../shared/sql-exec";
import type { Queryable } from "./queryable";

/**
 * BM25-like ranking (ts_rank) over the newest `searchWindow` matches of one
 * user, like the SQLite adapter; headlines only for the returned page.
 * The terms are plain words (searchTerms); pgTsQuery joins them per match mode.
 */
export async function searchPostgresEntries(
  db: Queryable,
  userId: string,
  query: EntrySearchQuery,
): Promise<SearchHit[]> {
  const tsquery = pgTsQuery(query.terms, query.match);
  const filter = attributionFilter({ ...query, projectId: undefined }, "e.created_at");
  const extra = numberedFrom(filter.sql.replaceAll("session_id", "e.session_id"), 6);
  const result = await db.query<{
    id: string;
    project_id: string;
    thread_id: string;
    session_id: string | null;
    author: string;
    created_at: Date;
    score: number;
    snippet: string;
  }>(
    `WITH q AS (SELECT ${tsquery.fn}('simple', $2) AS query),
     candidates AS (
       SELECT e.pk, e.tsv FROM entries e, q
       WHERE e.user_id = $1 AND e.tsv @@ q.query AND e.deleted_at IS NULL
         AND ($3::text IS NULL OR e.project_id = $3)${extra}
         AND NOT EXISTS (SELECT 1 FROM threads t WHERE t.user_id = e.user_id AND t.project_id = e.project_id
                         AND t.id = e.thread_id AND t.deleted_at IS NOT NULL)
       ORDER BY e.pk DESC LIMIT ${searchWindow}
     ),
     ranked AS (
       SELECT c.pk, ts_rank(c.tsv, q.query)::float8 AS score FROM candidates c, q
       ORDER BY score DESC, c.pk DESC LIMIT $4 OFFSET $5
     )
     SELECT e.id, e.project_id, e.thread_id, e.session_id, e.author, e.created_at, r.score,
       ts_headline('simple', e.content, q.query,
         'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=10, MaxFragments=1, FragmentDelimiter=" … "') AS snippet
     FROM ranked r JOIN entries e ON e.pk = r.pk, q
     ORDER BY r.score DESC, r.pk DESC`,
    [userId, tsquery.text, query.projectId ?? null, query.limit, query.offset, ...filter.params],
  );
  return result.rows.map((row) => ({
    type: "entry",
    id: row.id,
    threadId: row.thread_id,
    snippet: row.snippet,
    score: Math.round(row.score * 1e6) / 1000,
    project: row.project_id,
    session: row.session_id,
    author: row.author,
    createdAt: isoTime(row.created_at),
  }));
}

/** ts_rank over one user's live memories (content and tags), with the attribution filters. */
export async function searchPostgresMemories(
  db: Queryable,
  userId: string,
  query: MemorySearchQuery,
): Promise<MemoryHit[]> {
  const tsquery = pgTsQuery(query.terms, query.match);
  const filter = attributionFilter(query, "m.updated_at");
  const where = numberedFrom(
    filter.sql.replaceAll("project_id", "m.project_id").replaceAll("session_id", "m.session_id"),
    3,
  );
  const next = 3 + filter.params.length;
  const result = await db.query<{
    id: string;
    project_id: string;
    session_id: string | null;
    kind: string;
    tags: string;
    updated_at: Date;
    score: number;
    snippet: string;
  }>(
    `WITH q AS (SELECT ${tsquery.fn}('simple', $2) AS query)
     SELECT m.id, m.project_id, m.session_id, m.kind, m.tags, m.updated_at, ts_rank(m.tsv, q.query)::float8 AS score,
       ts_headline('simple', m.content, q.query,
         'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=10, MaxFragments=1, FragmentDelimiter=" … "') AS snippet
     FROM memories m, q
     WHERE m.user_id = $1 AND m.tsv @@ q.query AND m.deleted_at IS NULL${where}
     ORDER BY score DESC, m.updated_at DESC LIMIT $${next} OFFSET $${next + 1}`,
    [userId, tsquery.text, ...filter.params, query.limit, query.offset],
  );
  return result.rows.map((row) => ({
    type: "memory",
    id: row.id,
    snippet: row.snippet,
    score: Math.round(row.score * 1e6) / 1000,
    project: row.project_id,
    session: row.session_id,
    kind: row.kind as MemoryHit["kind"],
    tags: JSON.parse(row.tags) as string[],
    updatedAt: isoTime(row.updated_at),
  }));
}

/** ts_rank over one user's live tasks (title weighted over description); a project's search takes personal tasks too. */
export async function searchPostgresTasks(db: Queryable, userId: string, query: TaskSearchQuery): Promise<TaskHit[]> {
  const tsquery = pgTsQuery(query.terms, query.match);
  const filter = attributionFilter({ since: query.since, until: query.until }, "t.updated_at");
  const where = numberedFrom(filter.sql, 4);
  const next = 4 + filter.params.length;
  const result = await db.query<{
    id: string;
    project_id: string | null;
    title: string;
    status: string;
    updated_at: Date;
    score: number;
    snippet: string;
  }>(
    `WITH q AS (SELECT ${tsquery.fn}('simple', $2) AS query)
     SELECT t.id, t.project_id, t.title, t.status, t.updated_at, ts_rank(t.tsv, q.query)::float8 AS score,
       ts_headline('simple', t.title || CASE WHEN t.description = '' THEN '' ELSE ' — ' || t.description END, q.query,
         'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=10, MaxFragments=1, FragmentDelimiter=" … "') AS snippet
     FROM tasks t, q
     WHERE t.user_id = $1 AND t.tsv @@ q.query AND t.deleted_at IS NULL
       AND ($3::text IS NULL OR t.project_id = $3 OR t.project_id IS NULL)${where}
     ORDER BY score DESC, t.updated_at DESC LIMIT $${next} OFFSET $${next + 1}`,
    [userId, tsquery.text, query.projectId ?? null, ...filter.params, query.limit, query.offset],
  );
  return result.rows.map((row) => ({
    type: "task",
    id: row.id,
    snippet: row.snippet,
    score: Math.round(row.score * 1e6) / 1000,
    project: row.project_id,
    session: null,
    title: row.title,
    status: row.status as TaskHit["status"],
    updatedAt: isoTime(row.updated_at),
  }));
}

/** Which words occur in the user's live entries or memories (one probe per word, stopping at the first row). */
export async function presentPostgresTerms(db: Queryable, userId: string, terms: string[]): Promise<Set<string>> {
  const present = new Set<string>();
  for (const term of terms) {
    const found = await db.query(
      `SELECT 1 FROM entries WHERE user_id = $1 AND tsv @@ plainto_tsquery('simple', $2) AND deleted_at IS NULL
       UNION ALL
       SELECT 1 FROM memories WHERE user_id = $1 AND tsv @@ plainto_tsquery('simple', $2) AND deleted_at IS NULL
       LIMIT 1`,
      [userId, term],
    );
    if ((found.rowCount ?? 0) > 0) present.add(term);
  }
  return present;
}
