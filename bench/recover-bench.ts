import { join } from "node:path";
import type { Entry } from "@cairn/core/entities";
import { createIdGenerator } from "@cairn/core/ids";
import { computeDigest } from "@cairn/store/shared/digest";
import { LocalStore } from "@cairn/sync/local-store";
import { timedCli } from "./cli-process";
import { appendArgs } from "./ingest-bench";
import type { ServerProcess } from "./server-process";

/** The memories of the recovery benchmark: same text source as the entries. */
export function makeMemories(entries: Entry[]) {
  return entries.map((entry, index) => ({
    id: `mem-${String(index).padStart(7, "0")}`,
    projectId: entry.projectId,
    sessionId: null,
    kind: "note" as const,
    content: entry.content,
    tags: ["bench"],
    createdAt: entry.createdAt,
    updatedAt: entry.createdAt,
    version: `${String(Date.parse(entry.createdAt)).padStart(13, "0")}.0000.bench`,
    deletedAt: null,
  }));
}

/** Loads entries and memories into a server through its push API (500 per request). */
export async function loadServer(
  server: ServerProcess,
  userId: string,
  entries: Entry[],
  memories: ReturnType<typeof makeMemories>,
): Promise<void> {
  const mutations = [
    ...entries.map((entry) => ({ op: "entry.append", args: appendArgs(entry) })),
    ...memories.map((memory) => ({ op: "memory.put", args: { ...memory, baseVersion: null } })),
  ];
  for (let offset = 0; offset < mutations.length; offset += 500) {
    const body = JSON.stringify({
      pushVersion: 1,
      deviceId: "bench-loader",
      scope: { userId },
      mutations: mutations.slice(offset, offset + 500).map((mutation, index) => ({
        seq: offset + index + 1,
        ...mutation,
        clientTime: "2026-01-01T00:00:00.000Z",
      })),
    });
    const response = await fetch(`${server.url}/api/sync/push`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body,
    });
    if (!response.ok) throw new Error(`load failed: ${response.status} ${await response.text()}`);
  }
}

/**
 * Baseline: the same rows inserted with raw prepared statements into the same
 * local schema (a fresh CLI store), 1,000 per transaction, each batch indexed
 * in FTS5 with one statement (the fastest raw way, and what the store does).
 */
export function rawLocalInsertRate(dir: string, entries: Entry[], memories: ReturnType<typeof makeMemories>): number {
  const local = LocalStore.open({
    path: join(dir, "raw-local.db"),
    userId: "u",
    server: "http://raw",
    newDeviceId: createIdGenerator(),
  });
  const { db } = local.store;
  const insertEntry =
    db.prepare(`INSERT INTO entries (id, user_id, project_id, thread_id, session_id, author, content, created_at, seq)
    VALUES (?, 'u', ?, ?, NULL, ?, ?, ?, ?)`);
  const index = db.prepare("INSERT INTO entries_fts (rowid, content) SELECT pk, content FROM entries WHERE pk >= ?");
  const insertMemory =
    db.prepare(`INSERT INTO memories (user_id, id, project_id, session_id, kind, content, tags, created_at,
    updated_at, version, deleted_at, seq) VALUES ('u', ?, ?, NULL, ?, ?, ?, ?, ?, ?, NULL, ?)`);
  const started = process.hrtime.bigint();
  let seq = 0;
  for (let offset = 0; offset < entries.length; offset += 1000) {
    db.transaction(() => {
      let first: number | null = null;
      for (const entry of entries.slice(offset, offset + 1000)) {
        const result = insertEntry.run(
          entry.id,
          entry.projectId,
          entry.threadId,
          entry.author,
          entry.content,
          entry.createdAt,
          ++seq,
        );
        first ??= Number(result.lastInsertRowid);
      }
      if (first !== null) index.run(first);
    })();
  }
  const indexMemories = db.prepare(
    "INSERT INTO memories_fts (rowid, content, tags) SELECT pk, content, tags FROM memories WHERE pk >= ?",
  );
  for (let offset = 0; offset < memories.length; offset += 1000) {
    db.transaction(() => {
      let first: number | null = null;
      for (const memory of memories.slice(offset, offset + 1000)) {
        const result = insertMemory.run(
          memory.id,
          memory.projectId,
          memory.kind,
          memory.content,
          JSON.stringify(memory.tags),
          memory.createdAt,
          memory.updatedAt,
          memory.version,
          ++seq,
        );
        first ??= Number(result.lastInsertRowid);
      }
      if (first !== null) indexMemories.run(first);
    })();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  db.close();
  return (entries.length + memories.length) / seconds;
}

/** `cairn recover --json` in its own process, as a user runs it after a wipe. */
export function recoverProcess(cairnBin: string, home: string) {
  return timedCli<{ restored: Record<string, number>; verified: boolean }>(cairnBin, home, ["recover", "--json"]);
}

/** The digest of a recovered store, in process (what `cairn recover` computes to verify). */
export async function localDigestSeconds(storePath: string, userId: string): Promise<number> {
  const local = LocalStore.open({ path: storePath, userId, server: null, newDeviceId: createIdGenerator() });
  const started = process.hrtime.bigint();
  await computeDigest(local.store.sql, userId, {});
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await local.close();
  return seconds;
}
