import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as sqliteVec from "sqlite-vec";
import { afterAll, describe, expect, it } from "vitest";
import { runEmbeddingContract } from "../contract/embedding-contract";
import { runJobContract } from "../contract/job-contract";
import { runMemoryContract } from "../contract/memory-contract";
import { runRecallContract } from "../contract/recall-contract";
import { runRefusalContract } from "../contract/refusal-contract";
import { runSearchContract } from "../contract/search-contract";
import { runStoreContract } from "../contract/store-contract";
import { runTaskChatContract } from "../contract/task-chat-contract";
import { SqliteStore } from "./sqlite-store";

const dir = mkdtempSync(join(tmpdir(), "cairn-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const path = join(dir, "server.db");
runStoreContract("sqlite", {
  open: async () => new SqliteStore({ path }),
  reopen: async () => new SqliteStore({ path }),
});
runRefusalContract("sqlite", { open: async () => new SqliteStore({ path: join(dir, "refusal.db") }) });
runMemoryContract("sqlite", { open: async () => new SqliteStore({ path: join(dir, "memory.db") }) });
runSearchContract("sqlite", { open: async () => new SqliteStore({ path: join(dir, "search.db") }) });
runRecallContract("sqlite", {
  open: async () => new SqliteStore({ path: join(dir, "recall.db") }),
  openNamed: async (name, migrateUpTo) => new SqliteStore({ path: join(dir, `${name}.db`), migrateUpTo }),
});
runTaskChatContract("sqlite", { open: async () => new SqliteStore({ path: join(dir, "tasks.db") }) });
// Two stores on one file: the job contract claims from both at once.
runJobContract("sqlite", { open: async () => new SqliteStore({ path: join(dir, "jobs.db") }) });
runEmbeddingContract("sqlite with sqlite-vec", {
  open: async () => {
    const store = new SqliteStore({ path: join(dir, "vec.db"), loadVectorExtension: (db) => sqliteVec.load(db) });
    expect(store.vectorBackend).toBe("sqlite-vec");
    return store;
  },
});
runEmbeddingContract("sqlite without sqlite-vec (BLOBs compared by a registered function)", {
  open: async () => {
    const store = new SqliteStore({ path: join(dir, "blob.db") });
    expect(store.vectorBackend).toBe("sqlite-function");
    return store;
  },
});

describe("SqliteStore full-text index", () => {
  it("indexes the entries of a transaction at commit, and none of a rolled-back one", async () => {
    const store = new SqliteStore({ path: join(dir, "fts.db") });
    await store.system.transaction(async (tx) => {
      await tx.createUser({ id: "u", name: "u", createdAt: "2026-01-01T00:00:00.000Z" });
      await tx.forUser("u").ensureProject({ id: "p", name: "p", createdAt: "2026-01-01T00:00:00.000Z" });
    });
    const entry = (id: string, content: string) => ({
      id,
      threadId: "t",
      projectId: "p",
      sessionId: null,
      author: "",
      content,
      createdAt: "2026-01-01T00:00:00.000Z",
      deletedAt: null,
    });
    await store.system.transaction(async (tx) => {
      await tx.forUser("u").insertEntry(entry("a", "alpha word"), await tx.forUser("u").nextSeq());
      await tx.forUser("u").insertEntry(entry("b", "beta word"), await tx.forUser("u").nextSeq());
      await tx.forUser("u").insertEntry(entry("a", "alpha again, ignored"), await tx.forUser("u").nextSeq());
    });
    await expect(
      store.system.transaction(async (tx) => {
        await tx.forUser("u").insertEntry(entry("c", "gamma word"), await tx.forUser("u").nextSeq());
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const matches = (word: string) =>
      (store.db.prepare("SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?").all(word) as unknown[]).length;
    expect([matches("alpha"), matches("beta"), matches("gamma"), matches("again"), matches("word")]).toEqual([
      1, 1, 0, 0, 2,
    ]);
    expect(() =>
      store.db.prepare("INSERT INTO entries_fts (entries_fts) VALUES ('integrity-check')").run(),
    ).not.toThrow();
    await store.close();
  });
});

describe("SqliteStore on a damaged file", () => {
  it("names the file and the fix instead of throwing SQLite's error", () => {
    const garbage = join(dir, "garbage.db");
    writeFileSync(garbage, "this is not a database, just some text that is long enough to have a header".repeat(20));
    expect(() => new SqliteStore({ path: garbage })).toThrow(expect.objectContaining({ code: "store_corrupt" }));
    try {
      new SqliteStore({ path: garbage });
    } catch (error) {
      expect(String((error as Error).message)).toContain(garbage);
      expect((error as { hint?: string }).hint).toContain("mv");
    }
  });
});

describe("SqliteStore memory index", () => {
  it("indexes new memories at commit, also when one is edited or purged in the same transaction", async () => {
    const store = new SqliteStore({ path: join(dir, "memory-fts.db") });
    const at = "2026-01-01T00:00:00.000Z";
    const memory = (id: string, content: string, version: string, deletedAt: string | null = null) => ({
      id,
      projectId: "p",
      sessionId: null,
      kind: "note" as const,
      content,
      tags: ["t"],
      createdAt: at,
      updatedAt: at,
      version,
      deletedAt,
    });
    await store.system.transaction(async (tx) => {
      await tx.createUser({ id: "u", name: "u", createdAt: at });
      await tx.forUser("u").putMemory(memory("a", "original words", "1"), await tx.forUser("u").nextSeq());
      await tx.forUser("u").putMemory(memory("a", "edited words", "2"), await tx.forUser("u").nextSeq());
      await tx.forUser("u").putMemory(memory("b", "doomed words", "1", at), await tx.forUser("u").nextSeq());
      await tx.forUser("u").purgeTrashItem("memory", "b");
      await tx.forUser("u").putMemory(memory("c", "kept words", "1"), await tx.forUser("u").nextSeq());
    });
    const search = (word: string) =>
      store
        .forUser("u")
        .searchMemories({ terms: [word], limit: 10, offset: 0 })
        .then((hits) => hits.map((hit) => hit.id));
    expect(await search("edited")).toEqual(["a"]);
    expect(await search("original")).toEqual([]);
    expect(await search("doomed")).toEqual([]);
    expect(await search("kept")).toEqual(["c"]);
    // FTS5's own check: the index matches the table.
    expect(() => store.db.exec("INSERT INTO memories_fts(memories_fts) VALUES ('integrity-check')")).not.toThrow();
    await store.close();
  });
});
