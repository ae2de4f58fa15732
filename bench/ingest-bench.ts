import { join } from "node:path";
import type { Entry } from "@cairn/core/entities";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import { type Corpus, seededRandom } from "./corpus";
import type { ServerProcess } from "./server-process";

export interface BenchRow {
  entry: Entry;
}

/** The rows both sides insert: same ids, same text. */
export function makeEntries(corpus: Corpus, count: number): Entry[] {
  const random = seededRandom(1);
  const base = Date.parse("2026-01-01T00:00:00.000Z");
  return Array.from({ length: count }, (_, index) => ({
    id: `bench-${String(index).padStart(7, "0")}`,
    threadId: `thread-${index % 50}`,
    projectId: "bench",
    sessionId: null,
    deletedAt: null,
    author: "bench",
    content: corpus.row(random),
    createdAt: new Date(base + index).toISOString(),
  }));
}

export type RawMethod = "trigger" | "bulk";

/**
 * Baseline: raw better-sqlite3 inserts of the same rows into the same tables,
 * 500 per transaction, one prepared INSERT per row. "trigger" keeps FTS5 in
 * step with the textbook AFTER INSERT trigger (the usual raw way, and the
 * ceiling in the machine notes); "bulk" indexes each batch with one
 * INSERT … SELECT, as Cairn's SqliteStore does.
 */
export function rawInsertRate(dir: string, entries: Entry[], method: RawMethod): number {
  const store = new SqliteStore({ path: join(dir, `raw-${method}.db`) });
  const { db } = store;
  db.prepare("INSERT INTO users (id, name, created_at) VALUES ('u', 'u', '2026-01-01T00:00:00.000Z')").run();
  if (method === "trigger") {
    db.exec(`CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
      INSERT INTO entries_fts(rowid, content) VALUES (new.pk, new.content); END;`);
  }
  const insert =
    db.prepare(`INSERT INTO entries (id, user_id, project_id, thread_id, session_id, author, content, created_at, seq)
    VALUES (?, 'u', ?, ?, NULL, ?, ?, ?, ?)`);
  const index = db.prepare("INSERT INTO entries_fts (rowid, content) SELECT pk, content FROM entries WHERE pk >= ?");
  const batch = db.transaction((rows: Entry[], offset: number) => {
    let first: number | null = null;
    rows.forEach((entry, position) => {
      const result = insert.run(
        entry.id,
        entry.projectId,
        entry.threadId,
        entry.author,
        entry.content,
        entry.createdAt,
        offset + position + 1,
      );
      first ??= Number(result.lastInsertRowid);
    });
    if (method === "bulk" && first !== null) index.run(first);
  });
  const started = process.hrtime.bigint();
  for (let offset = 0; offset < entries.length; offset += 500) batch(entries.slice(offset, offset + 500), offset);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return entries.length / seconds;
}

/** The args of the `entry.append` mutation that writes `entry`. */
export function appendArgs(entry: Entry): Record<string, string> {
  return {
    id: entry.id,
    projectId: entry.projectId,
    threadId: entry.threadId,
    author: entry.author,
    content: entry.content,
    createdAt: entry.createdAt,
  };
}

/** Cairn: the same rows as `entry.append` mutations through POST /api/sync/push, 500 per request. */
export async function serverIngestRate(
  server: ServerProcess,
  userId: string,
  entries: Entry[],
  deviceId = "bench-device",
): Promise<number> {
  const bodies: string[] = [];
  for (let offset = 0; offset < entries.length; offset += 500) {
    bodies.push(
      JSON.stringify({
        pushVersion: 1,
        deviceId,
        scope: { userId },
        mutations: entries.slice(offset, offset + 500).map((entry, index) => ({
          seq: offset + index + 1,
          op: "entry.append",
          args: appendArgs(entry),
          clientTime: entry.createdAt,
        })),
      }),
    );
  }
  const started = process.hrtime.bigint();
  for (const body of bodies) {
    const response = await fetch(`${server.url}/api/sync/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body,
    });
    const result = (await response.json()) as { results?: { status: string }[] };
    if (!response.ok || result.results?.some((item) => item.status !== "applied")) {
      throw new Error(`push failed: ${response.status} ${JSON.stringify(result).slice(0, 300)}`);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return entries.length / seconds;
}
