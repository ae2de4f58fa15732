import type { Entry, Memory, SearchHit, Thread } from "@cairn/core/entities";
import {
  type AdapterTx,
  type Store,
  type SystemStore,
  storeHandles,
  type UserStore,
} from "@cairn/core/store/store-port";
import type {
  EnsureThreadOutcome,
  EntrySearchQuery,
  MemoryHit,
  MemorySearchQuery,
  TaskHit,
  TaskSearchQuery,
  VectorBackend,
} from "@cairn/core/store/store-types";
import type Database from "better-sqlite3";
import { AsyncMutex } from "../async-mutex";
import { composeMethods } from "../compose-methods";
import { type Migration, upTo } from "../migration";
import { featureQueries } from "../shared/feature-queries";
import type { SqlExec } from "../shared/sql-exec";
import { isSqliteDataError, openSqlite, storeFileError } from "./open-sqlite";
import { sqliteMigrations } from "./sqlite-migrations";
import { SqliteReads } from "./sqlite-reads";
import { presentSqliteTerms, searchSqliteEntries, searchSqliteMemories, searchSqliteTasks } from "./sqlite-search";
import { sqliteDialect } from "./sqlite-vectors";
import { ThreadWriteLock } from "./thread-write-lock";

export interface SqliteStoreOptions {
  path: string;
  /** Extra steps after the server schema (the CLI's outbox). */
  extraMigrations?: Migration[];
  /** Path of better-sqlite3's addon: skips its search for the file (~1.5 ms of a CLI start). */
  nativeBinding?: string | undefined;
  /** Loads sqlite-vec into the connection (the server passes the npm package's `load`); else vectors are compared in JavaScript. */
  loadVectorExtension?: ((db: Database.Database) => void) | undefined;
  /**
   * Shared by every connection of this process to the file (the server's delivery thread has its own):
   * writers then queue for one another in memory instead of sleeping in SQLite's busy handler.
   */
  threadWriteLock?: { buffer: SharedArrayBuffer; holder: number; first?: boolean } | undefined;
  /** Stop after this migration: the store as an older release left it (tests of a migration). */
  migrateUpTo?: string | undefined;
}

/** The Store port on one better-sqlite3 connection (the default server database and the CLI's local store). */
export class SqliteStore extends SqliteReads implements Store {
  readonly kind = "sqlite" as const;
  readonly vectorBackend: VectorBackend;
  readonly path: string;
  private readonly mutex = new AsyncMutex();
  private readonly threadLock: ThreadWriteLock | null;
  /** Per-user change counters of the open transaction, written back at commit. */
  private seqs: Map<string, number> | null = null;
  /** The first entry row inserted by the open transaction: rows from it on get indexed at commit. */
  private firstUnindexedPk: number | null = null;
  /** The same for memories. */
  private firstUnindexedMemoryPk: number | null = null;
  /** Names savepoints apart (they may nest). */
  private savepoints = 0;

  constructor(options: SqliteStoreOptions) {
    super(
      openSqlite(options.path, upTo([...sqliteMigrations, ...(options.extraMigrations ?? [])], options.migrateUpTo), {
        nativeBinding: options.nativeBinding,
      }),
    );
    this.path = options.path;
    this.threadLock = options.threadWriteLock
      ? new ThreadWriteLock(
          options.threadWriteLock.buffer,
          options.threadWriteLock.holder,
          options.threadWriteLock.first,
        )
      : null;
    const vectors = sqliteDialect(this.db, options.loadVectorExtension);
    this.vectorBackend = vectors.backend;
    // putMemory is this adapter's own: it indexes new memories at commit.
    this.methods = composeMethods(featureQueries(this.sql, vectors.dialect), this, {
      putMemory: (userId, memory, seq, changedBy) => this.putMemory(userId, memory, seq, changedBy ?? null),
    });
    this.handles = storeHandles({
      methods: this.methods,
      transaction: (work) => this.transaction(work),
      isDataError: (error) => this.isDataError(error),
    });
  }

  /** Every method of the port on this connection (the same in and out of a transaction: one connection). */
  readonly methods: AdapterTx;
  private readonly handles: Pick<Store, "forUser" | "system">;

  forUser(userId: string): UserStore {
    return this.handles.forUser(userId);
  }

  get system(): SystemStore {
    return this.handles.system;
  }

  /** Runs `work` in one transaction on this connection (the port's handles open theirs through it). */
  async transaction<T>(work: (tx: AdapterTx) => Promise<T>): Promise<T> {
    const lock = this.threadLock;
    // Alone on the file (the CLI, tests), a transaction pays nothing for the lock.
    if (!lock) return this.mutex.run(() => this.transactionHoldingLocks(work));
    return this.mutex.run(async () => {
      await lock.acquire();
      try {
        return await this.transactionHoldingLocks(work);
      } finally {
        lock.release();
      }
    });
  }

  private async transactionHoldingLocks<T>(work: (tx: AdapterTx) => Promise<T>): Promise<T> {
    this.guard(() => this.db.exec("BEGIN IMMEDIATE"));
    this.seqs = new Map();
    this.firstUnindexedPk = null;
    this.firstUnindexedMemoryPk = null;
    try {
      const result = await work(this.methods);
      for (const [userId, seq] of this.seqs) {
        this.prepare("UPDATE users SET change_seq = ? WHERE id = ?").run(seq, userId);
      }
      this.indexNewEntries();
      this.indexNewMemories();
      this.db.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw storeFileError(this.path, error) ?? error;
    } finally {
      this.seqs = null;
      this.firstUnindexedPk = null;
      this.firstUnindexedMemoryPk = null;
    }
  }

  async savepoint<T>(work: () => Promise<T>): Promise<T> {
    const name = `cairn_${++this.savepoints}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await work();
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (this.db.inTransaction) {
        this.db.exec(`ROLLBACK TO ${name}`);
        this.db.exec(`RELEASE ${name}`);
      }
      throw error;
    }
  }

  isDataError(error: unknown): boolean {
    return isSqliteDataError(error);
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.db.open) this.db.close();
    });
  }

  /** Indexes the memories this transaction inserted, in one statement (their pks only grow, like entries'). */
  private indexNewMemories(): void {
    if (this.firstUnindexedMemoryPk === null) return;
    this.prepare(
      "INSERT INTO memories_fts (rowid, content, tags) SELECT pk, content, tags FROM memories WHERE pk >= ?",
    ).run(this.firstUnindexedMemoryPk);
    this.firstUnindexedMemoryPk = null;
  }

  /**
   * Indexes the entries this transaction inserted, in one statement. Entry
   * pks only grow (INTEGER PRIMARY KEY, rows are never reused), so every row
   * from the first one inserted here on is new and not yet indexed.
   */
  private indexNewEntries(): void {
    if (this.firstUnindexedPk === null) return;
    this.prepare("INSERT INTO entries_fts (rowid, content) SELECT pk, content FROM entries WHERE pk >= ?").run(
      this.firstUnindexedPk,
    );
    this.firstUnindexedPk = null;
  }

  private guard<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw storeFileError(this.path, error) ?? error;
    }
  }

  /** Portable SQL over this connection (`?` placeholders, cached statements). */
  readonly sql: SqlExec = {
    all: async <Row>(text: string, params: unknown[] = []) => this.prepare(text).all(...params) as Row[],
    run: async (text: string, params: unknown[] = []) => {
      // A delete or update of a memory fires its FTS trigger: memories of this transaction are indexed first.
      if (this.firstUnindexedMemoryPk !== null && text.includes("memories")) this.indexNewMemories();
      return this.prepare(text).run(...params).changes;
    },
  };

  /**
   * Writes a memory version. A new row is indexed in FTS5 at commit with the
   * transaction's other new memories (one statement; a per-row trigger cost
   * 70% of a bulk insert, measured); an update is re-indexed by its trigger.
   */
  async putMemory(userId: string, memory: Memory, seq: number, changedBy: string | null = null): Promise<void> {
    const values = [
      memory.projectId,
      memory.sessionId,
      memory.kind,
      memory.content,
      JSON.stringify(memory.tags),
      memory.updatedAt,
      memory.version,
      memory.deletedAt,
      seq,
      changedBy,
    ];
    const existing = this.prepare("SELECT pk FROM memories WHERE user_id = ? AND id = ?").get(userId, memory.id) as
      | { pk: number }
      | undefined;
    if (existing) {
      // The update trigger re-indexes from the old text: a row of this transaction must be indexed first.
      if (this.firstUnindexedMemoryPk !== null && existing.pk >= this.firstUnindexedMemoryPk) this.indexNewMemories();
      this.prepare(
        `UPDATE memories SET project_id = ?, session_id = ?, kind = ?, content = ?, tags = ?, updated_at = ?, version = ?,
           deleted_at = ?, seq = ?, changed_by = ? WHERE pk = ?`,
      ).run(...values, existing.pk);
      return;
    }
    const inserted = this.prepare(
      `INSERT INTO memories (project_id, session_id, kind, content, tags, updated_at, version, deleted_at, seq, changed_by,
         user_id, id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...values, userId, memory.id, memory.createdAt);
    this.firstUnindexedMemoryPk ??= Number(inserted.lastInsertRowid);
    if (this.seqs === null) this.indexNewMemories();
  }

  async searchMemories(userId: string, query: MemorySearchQuery): Promise<MemoryHit[]> {
    return searchSqliteMemories((text) => this.prepare(text), userId, query);
  }

  async searchTasks(userId: string, query: TaskSearchQuery): Promise<TaskHit[]> {
    return searchSqliteTasks((text) => this.prepare(text), userId, query);
  }

  async presentTerms(userId: string, terms: string[]): Promise<Set<string>> {
    return presentSqliteTerms((text) => this.prepare(text), userId, terms);
  }

  async putEntry(userId: string, entry: Entry, seq: number): Promise<void> {
    // One statement for a new row (the common case of a pull or a recovery); an update only for a known one.
    if (this.insertEntryRow(userId, entry, seq, null)) return;
    this.prepare("UPDATE entries SET deleted_at = ?, seq = ? WHERE user_id = ? AND id = ?").run(
      entry.deletedAt,
      seq,
      userId,
      entry.id,
    );
  }

  async searchEntries(userId: string, query: EntrySearchQuery): Promise<SearchHit[]> {
    return this.guard(() => searchSqliteEntries(this.db, (sql) => this.prepare(sql), userId, query));
  }

  async ensureProject(userId: string, project: { id: string; name: string; createdAt: string }): Promise<void> {
    this.prepare("INSERT OR IGNORE INTO projects (user_id, id, name, created_at) VALUES (?, ?, ?, ?)").run(
      userId,
      project.id,
      project.name,
      project.createdAt,
    );
  }

  async ensureThread(userId: string, thread: Thread, seq: () => Promise<number>): Promise<EnsureThreadOutcome> {
    const existing = this.prepare("SELECT deleted_at FROM threads WHERE user_id = ? AND project_id = ? AND id = ?").get(
      userId,
      thread.projectId,
      thread.id,
    ) as { deleted_at: string | null } | undefined;
    if (existing && existing.deleted_at === null) return "exists";
    if (existing) {
      this.prepare(
        "UPDATE threads SET deleted_at = NULL, updated_at = ?, seq = ? WHERE user_id = ? AND project_id = ? AND id = ?",
      ).run(thread.updatedAt, await seq(), userId, thread.projectId, thread.id);
      return "restored";
    }
    await this.putThread(userId, { ...thread, deletedAt: null }, await seq());
    return "created";
  }

  async insertEntry(userId: string, entry: Entry, seq: number, changedBy: string | null = null): Promise<void> {
    this.insertEntryRow(userId, entry, seq, changedBy);
  }

  /** Inserts unless (user, id) exists; a new row is indexed at commit. True when it was new. */
  private insertEntryRow(userId: string, entry: Entry, seq: number, changedBy: string | null): boolean {
    const result = this.prepare(`INSERT OR IGNORE INTO entries
      (id, user_id, project_id, thread_id, session_id, author, content, created_at, deleted_at, seq, changed_by)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      entry.id,
      userId,
      entry.projectId,
      entry.threadId,
      entry.sessionId,
      entry.author,
      entry.content,
      entry.createdAt,
      entry.deletedAt,
      seq,
      changedBy,
    );
    if (result.changes === 0) return false;
    this.firstUnindexedPk ??= Number(result.lastInsertRowid);
    // Outside a transaction (no caller does this today) index at once.
    if (this.seqs === null) this.indexNewEntries();
    return true;
  }

  async deleteThread(
    userId: string,
    key: { projectId: string; threadId: string; at: string; seq: number },
  ): Promise<boolean> {
    const result = this.prepare(`UPDATE threads SET deleted_at = ?, updated_at = ?, seq = ?
      WHERE user_id = ? AND project_id = ? AND id = ? AND deleted_at IS NULL`).run(
      key.at,
      key.at,
      key.seq,
      userId,
      key.projectId,
      key.threadId,
    );
    return result.changes > 0;
  }

  async putThread(userId: string, thread: Thread, seq: number): Promise<void> {
    this.prepare(`INSERT INTO threads (user_id, project_id, id, name, status, created_at, updated_at, deleted_at, seq)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (user_id, project_id, id) DO UPDATE SET name = excluded.name, status = excluded.status,
        updated_at = excluded.updated_at, deleted_at = excluded.deleted_at, seq = excluded.seq`).run(
      userId,
      thread.projectId,
      thread.id,
      thread.name,
      thread.status,
      thread.createdAt,
      thread.updatedAt,
      thread.deletedAt,
      seq,
    );
  }

  async nextSeq(userId: string): Promise<number> {
    if (!this.seqs) throw new Error("nextSeq outside a transaction");
    let current = this.seqs.get(userId);
    if (current === undefined) {
      const row = this.prepare("SELECT change_seq FROM users WHERE id = ?").get(userId) as
        | { change_seq: number }
        | undefined;
      if (!row) throw new Error(`No user ${userId} to allocate a change sequence for`);
      current = row.change_seq;
    }
    this.seqs.set(userId, current + 1);
    return current + 1;
  }

  async recordRejection(
    userId: string,
    deviceId: string,
    rejection: { seq: number; reason: string; at: string },
  ): Promise<void> {
    this.prepare(
      "INSERT OR IGNORE INTO rejected_mutations (user_id, device_id, seq, reason, rejected_at) VALUES (?, ?, ?, ?, ?)",
    ).run(userId, deviceId, rejection.seq, rejection.reason, rejection.at);
  }

  async setDeviceSeq(userId: string, deviceId: string, seq: number, at: string): Promise<void> {
    this.prepare(`INSERT INTO devices (user_id, device_id, last_applied_seq, last_seen_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (user_id, device_id) DO UPDATE SET last_applied_seq = excluded.last_applied_seq,
        last_seen_at = excluded.last_seen_at`).run(userId, deviceId, seq, at);
  }
}
