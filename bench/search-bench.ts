import type { Entry } from "@cairn/core/entities";
import { search } from "@cairn/core/operations/search";
import type { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import type Database from "better-sqlite3";
import { type Corpus, percentile, seededRandom } from "./corpus";
import type { ServerProcess } from "./server-process";

export interface LatencySet {
  name: string;
  queries: string[];
}

/** Rare words (vocabulary ranks past 100, drawn uniformly) and very common ones (the 10 most frequent). */
export function querySets(corpus: Corpus, count: number): LatencySet[] {
  const random = seededRandom(7);
  const rare = Array.from(
    { length: count },
    () => corpus.vocabulary[100 + Math.floor(random() * (corpus.vocabulary.length - 100))] ?? "",
  );
  const common = Array.from({ length: count }, () => corpus.vocabulary[Math.floor(random() * 10)] ?? "");
  // Two common words: unified search asks three tiers (phrase, all words, any word).
  const pairs = Array.from(
    { length: count },
    () =>
      `${corpus.vocabulary[Math.floor(random() * 10)] ?? ""} ${corpus.vocabulary[10 + Math.floor(random() * 90)] ?? ""}`,
  );
  return [
    { name: "rare", queries: rare },
    { name: "common", queries: common },
    { name: "pair", queries: pairs },
  ];
}

function measure(queries: string[], run: (query: string) => void): { p50: number; p99: number } {
  const times: number[] = [];
  for (const query of queries) {
    const started = process.hrtime.bigint();
    run(query);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export async function measureAsync(
  queries: string[],
  run: (query: string) => Promise<void>,
): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (const query of queries) {
    const started = process.hrtime.bigint();
    await run(query);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** The raw FTS5 query (bm25 top 20), the baseline. */
export function rawSearch(db: Database.Database, set: LatencySet) {
  const statement = db.prepare(
    "SELECT rowid, bm25(entries_fts) AS score FROM entries_fts WHERE entries_fts MATCH ? ORDER BY rank LIMIT 20",
  );
  return measure(set.queries, (query) =>
    statement.all(
      query
        .split(" ")
        .map((word) => `"${word}"`)
        .join(" "),
    ),
  );
}

/** Cairn's unified search on the store, in process (entries, memories and tasks, or one type; top 20 with snippets). */
export async function storeSearch(store: SqliteStore, userId: string, set: LatencySet, type?: string) {
  const times: number[] = [];
  for (const query of set.queries) {
    const started = process.hrtime.bigint();
    await search({ store: store.forUser(userId) }, { q: query, limit: 20, ...(type ? { type } : {}) });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** The same through GET /api/search on the running server (HTTP, auth, JSON included). */
/**
 * One request to the server before a measured set, tried twice: after a long raw baseline the
 * pooled keep-alive connection has sat idle past the server's timeout, and the first request on
 * it can meet the server's close ("other side closed"). The retry opens a fresh connection.
 */
export async function reconnect(server: ServerProcess): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await fetch(`${server.url}/readyz`);
      await response.arrayBuffer();
      return;
    } catch (error) {
      if (attempt >= 2) throw error;
    }
  }
}

export function httpSearch(server: ServerProcess, set: LatencySet) {
  return measureAsync(set.queries, async (query) => {
    const response = await fetch(`${server.url}/api/search?q=${encodeURIComponent(query)}&limit=20`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    if (!response.ok) throw new Error(`search failed: ${response.status}`);
    await response.arrayBuffer();
  });
}

/**
 * One memory and one task per entry, with the entry's words (memory.put and task.put through the
 * push API, 500 a request): the store then holds as many of each type as of entries, for search by type.
 */
export async function loadMemoriesAndTasks(server: ServerProcess, userId: string, entries: Entry[]): Promise<void> {
  const mutations = entries.flatMap((entry, index) => {
    const version = `${String(Date.parse(entry.createdAt)).padStart(13, "0")}.0000.bench`;
    const common = { projectId: entry.projectId, createdAt: entry.createdAt, updatedAt: entry.createdAt, version };
    return [
      {
        op: "memory.put",
        args: {
          ...common,
          id: `mem-${index}`,
          sessionId: null,
          kind: "note",
          content: entry.content,
          tags: ["bench"],
          deletedAt: null,
          baseVersion: null,
        },
      },
      {
        op: "task.put",
        args: {
          ...common,
          id: `task-${index}`,
          title: entry.content.slice(0, 80),
          description: entry.content.slice(80),
          status: "pending",
          priority: "normal",
          dueAt: null,
          completedAt: null,
          deletedAt: null,
          baseVersion: null,
        },
      },
    ];
  });
  for (let offset = 0; offset < mutations.length; offset += 500) {
    const response = await fetch(`${server.url}/api/sync/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: JSON.stringify({
        pushVersion: 1,
        deviceId: "bench-types",
        scope: { userId },
        mutations: mutations.slice(offset, offset + 500).map((mutation, index) => ({
          seq: offset + index + 1,
          ...mutation,
          clientTime: "2026-01-01T00:00:00.000Z",
        })),
      }),
    });
    if (!response.ok) throw new Error(`load failed: ${response.status} ${await response.text()}`);
  }
}
