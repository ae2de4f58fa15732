import type { SearchHit } from "@cairn/core/entities";
import { fts5Match } from "@cairn/core/search-terms";
import type {
  EntrySearchQuery,
  MemoryHit,
  MemorySearchQuery,
  TaskHit,
  TaskSearchQuery,
} from "@cairn/core/store/store-types";
import type Database from "better-sqlite3";
import type { EntryRow } from "../row-mappers";
import { isoTime } from "../row-mappers";
import { searchWindow } from "../search-window";
import { attributionFilter } from "../shared/attribution-filter";

interface RankedRow extends EntryRow {
  pk: number;
  rank: number;
}

/**
 * BM25 search over one user's entries. Ranking every match costs about 0.5 µs
 * per matching row (measured), so a word in most rows would cost tens of ms:
 * one scan walks this user's matches newest first, stops after `searchWindow`
 * of them, and only those are ranked, which is also what an agent wants
 * (recent beats old). With fewer matches than the window, every match is ranked.
 */
export function searchSqliteEntries(
  db: Database.Database,
  prepare: (sql: string) => Database.Statement,
  userId: string,
  query: EntrySearchQuery,
): SearchHit[] {
  const match = fts5Match(query.terms, query.match);
  const project = query.projectId ?? null;
  const filter = attributionFilter({ ...query, projectId: undefined }, "e.created_at");
  const rows = prepare(`
    SELECT pk, id, project_id, thread_id, session_id, author, content, created_at, rank FROM (
      SELECT e.pk, e.id, e.project_id, e.thread_id, e.session_id, e.author, '' AS content, e.created_at,
             bm25(entries_fts) AS rank
      FROM entries_fts JOIN entries e ON e.pk = entries_fts.rowid
      WHERE entries_fts MATCH ? AND e.user_id = ? AND e.deleted_at IS NULL
        AND (? IS NULL OR e.project_id = ?)${filter.sql.replaceAll("session_id", "e.session_id")}
        AND (e.project_id, e.thread_id) NOT IN (
          SELECT project_id, id FROM threads WHERE user_id = ? AND deleted_at IS NOT NULL)
      ORDER BY entries_fts.rowid DESC LIMIT ${searchWindow}
    ) ORDER BY rank, pk DESC LIMIT ? OFFSET ?`).all(
    match,
    userId,
    project,
    project,
    ...filter.params,
    userId,
    query.limit,
    query.offset,
  ) as RankedRow[];
  if (rows.length === 0) return [];

  // Snippets (or the whole text, for a caller that ranks) only for the page, not for every ranked candidate.
  const placeholders = rows.map(() => "?").join(",");
  const texts = query.withText
    ? new Map(
        (
          db
            .prepare(`SELECT pk, content FROM entries WHERE pk IN (${placeholders})`)
            .all(...rows.map((row) => row.pk)) as { pk: number; content: string }[]
        ).map((row) => [row.pk, row.content]),
      )
    : null;
  const snippets = texts
    ? new Map<number, string>()
    : new Map(
        (
          db
            .prepare(
              `SELECT rowid AS pk, snippet(entries_fts, 0, '<mark>', '</mark>', '…', 24) AS snippet
               FROM entries_fts WHERE entries_fts MATCH ? AND rowid IN (${placeholders})`,
            )
            .all(match, ...rows.map((row) => row.pk)) as { pk: number; snippet: string }[]
        ).map((row) => [row.pk, row.snippet]),
      );
  return rows.map((row) => ({
    type: "entry",
    id: row.id,
    threadId: row.thread_id,
    snippet: snippets.get(row.pk) ?? "",
    ...(texts ? { text: texts.get(row.pk) ?? "" } : {}),
    score: Math.round(-row.rank * 1e6) / 1e6,
    project: row.project_id,
    session: row.session_id,
    author: row.author,
    createdAt: isoTime(row.created_at),
  }));
}

interface MemoryRankedRow {
  pk: number;
  id: string;
  project_id: string;
  session_id: string | null;
  kind: string;
  tags: string;
  updated_at: string;
  rank: number;
}

/**
 * BM25 over one user's live memories (content and tags), with the attribution filters: like
 * entries, over the newest `searchWindow` matches only, so a word in most memories costs what it
 * costs for entries.
 */
export function searchSqliteMemories(
  prepare: (sql: string) => Database.Statement,
  userId: string,
  query: MemorySearchQuery,
): MemoryHit[] {
  const match = fts5Match(query.terms, query.match);
  const filter = attributionFilter(query, "m.updated_at");
  const rows = prepare(`
    SELECT * FROM (
      SELECT m.pk, m.id, m.project_id, m.session_id, m.kind, m.tags, m.updated_at, bm25(memories_fts) AS rank
      FROM memories_fts JOIN memories m ON m.pk = memories_fts.rowid
      WHERE memories_fts MATCH ? AND m.user_id = ? AND m.deleted_at IS NULL${filter.sql.replaceAll("project_id", "m.project_id").replaceAll("session_id", "m.session_id")}
      ORDER BY memories_fts.rowid DESC LIMIT ${searchWindow}
    ) ORDER BY rank, pk DESC LIMIT ? OFFSET ?`).all(
    match,
    userId,
    ...filter.params,
    query.limit,
    query.offset,
  ) as MemoryRankedRow[];
  if (rows.length === 0) return [];
  const placeholders = rows.map(() => "?").join(",");
  const texts = query.withText
    ? new Map(
        (
          prepare(`SELECT pk, content, tags FROM memories WHERE pk IN (${placeholders})`).all(
            ...rows.map((row) => row.pk),
          ) as { pk: number; content: string; tags: string }[]
        ).map((row) => [row.pk, [row.content, ...(JSON.parse(row.tags) as string[])].join("\n")]),
      )
    : null;
  const snippets = texts
    ? new Map<number, string>()
    : new Map(
        (
          prepare(
            `SELECT rowid AS pk, snippet(memories_fts, 0, '<mark>', '</mark>', '…', 24) AS snippet
             FROM memories_fts WHERE memories_fts MATCH ? AND rowid IN (${placeholders})`,
          ).all(match, ...rows.map((row) => row.pk)) as { pk: number; snippet: string }[]
        ).map((row) => [row.pk, row.snippet]),
      );
  return rows.map((row) => ({
    type: "memory",
    id: row.id,
    snippet: snippets.get(row.pk) ?? "",
    ...(texts ? { text: texts.get(row.pk) ?? "" } : {}),
    score: Math.round(-row.rank * 1e6) / 1e6,
    project: row.project_id,
    session: row.session_id,
    kind: row.kind as MemoryHit["kind"],
    tags: JSON.parse(row.tags) as string[],
    updatedAt: isoTime(row.updated_at),
  }));
}

interface TaskRankedRow {
  rowid: number;
  id: string;
  project_id: string | null;
  title: string;
  description: string;
  status: string;
  updated_at: string;
  rank: number;
}

/**
 * BM25 over one user's live tasks (title and description), over the newest `searchWindow`
 * matches; a project's search takes the personal tasks too.
 */
export function searchSqliteTasks(
  prepare: (sql: string) => Database.Statement,
  userId: string,
  query: TaskSearchQuery,
): TaskHit[] {
  const match = fts5Match(query.terms, query.match);
  const filter = attributionFilter({ since: query.since, until: query.until }, "t.updated_at");
  const project = query.projectId ?? null;
  const rows = prepare(`
    SELECT * FROM (
      SELECT t.rowid AS rowid, t.id, t.project_id, t.title, t.description, t.status, t.updated_at,
             bm25(tasks_fts, 2.0, 1.0) AS rank
      FROM tasks_fts JOIN tasks t ON t.rowid = tasks_fts.rowid
      WHERE tasks_fts MATCH ? AND t.user_id = ? AND t.deleted_at IS NULL
        AND (? IS NULL OR t.project_id = ? OR t.project_id IS NULL)${filter.sql}
      ORDER BY tasks_fts.rowid DESC LIMIT ${searchWindow}
    ) ORDER BY rank, updated_at DESC LIMIT ? OFFSET ?`).all(
    match,
    userId,
    project,
    project,
    ...filter.params,
    query.limit,
    query.offset,
  ) as TaskRankedRow[];
  if (rows.length === 0) return [];
  const placeholders = rows.map(() => "?").join(",");
  const snippets = query.withText
    ? new Map<number, string>()
    : new Map(
        (
          prepare(
            `SELECT rowid, highlight(tasks_fts, 0, '<mark>', '</mark>') || CASE WHEN description = '' THEN ''
                    ELSE ' — ' || snippet(tasks_fts, 1, '<mark>', '</mark>', '…', 16) END AS snippet
             FROM tasks_fts WHERE tasks_fts MATCH ? AND rowid IN (${placeholders})`,
          ).all(match, ...rows.map((row) => row.rowid)) as { rowid: number; snippet: string }[]
        ).map((row) => [row.rowid, row.snippet]),
      );
  return rows.map((row) => ({
    type: "task",
    id: row.id,
    snippet: snippets.get(row.rowid) ?? row.title,
    ...(query.withText ? { text: [row.title, row.description].filter(Boolean).join("\n") } : {}),
    score: Math.round(-row.rank * 1e6) / 1e6,
    project: row.project_id,
    session: null,
    title: row.title,
    status: row.status as TaskHit["status"],
    updatedAt: isoTime(row.updated_at),
  }));
}

/** Which words occur in the user's live entries or memories: one indexed probe per word, stopping at the first row. */
export function presentSqliteTerms(
  prepare: (sql: string) => Database.Statement,
  userId: string,
  terms: string[],
): Set<string> {
  const inEntries = prepare(
    `SELECT 1 FROM entries_fts JOIN entries e ON e.pk = entries_fts.rowid
     WHERE entries_fts MATCH ? AND e.user_id = ? AND e.deleted_at IS NULL LIMIT 1`,
  );
  const inMemories = prepare(
    `SELECT 1 FROM memories_fts JOIN memories m ON m.pk = memories_fts.rowid
     WHERE memories_fts MATCH ? AND m.user_id = ? AND m.deleted_at IS NULL LIMIT 1`,
  );
  const present = new Set<string>();
  for (const term of terms) {
    const match = fts5Match([term]);
    if (inEntries.get(match, userId) !== undefined || inMemories.get(match, userId) !== undefined) present.add(term);
  }
  return present;
}
