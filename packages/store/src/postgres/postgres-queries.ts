import type { ApiToken, Entry, SearchHit, Thread, User } from "@cairn/core/entities";
import type {
  Change,
  EnsureThreadOutcome,
  EntryListQuery,
  EntrySearchQuery,
  NewToken,
  StoreWriter,
  ThreadListQuery,
  ThreadStats,
  ThreadSummary,
} from "@cairn/core/store-port";
import { changeSources } from "../change-sources";
import { mergeChanges } from "../merge-changes";
import {
  columns,
  type EntryRow,
  isoTime,
  isoTimeOrNull,
  type ThreadRow,
  type TokenRow,
  toEntry,
  toThread,
  toToken,
  toUser,
  type UserRow,
} from "../row-mappers";
import { searchPostgresEntries } from "./postgres-search";
import type { Queryable } from "./queryable";

/**
 * Every Store method as SQL over one Queryable: the pool for plain reads, a
 * checked-out client inside a transaction. `seqs` is set only in a transaction.
 */
export class PostgresQueries implements StoreWriter {
  /** Per-user change counters of the open transaction, written back at commit. */
  readonly seqs = new Map<string, number>();

  constructor(private readonly db: Queryable) {}

  async getUser(userId: string): Promise<User | null> {
    const result = await this.db.query<UserRow>(`SELECT ${columns.user} FROM users WHERE id = $1`, [userId]);
    return result.rows[0] ? toUser(result.rows[0]) : null;
  }

  async findUserByName(name: string): Promise<User | null> {
    const result = await this.db.query<UserRow>(`SELECT ${columns.user} FROM users WHERE name = $1`, [name]);
    return result.rows[0] ? toUser(result.rows[0]) : null;
  }

  async countUsers(): Promise<number> {
    const result = await this.db.query<{ n: number }>("SELECT COUNT(*)::int AS n FROM users");
    return result.rows[0]?.n ?? 0;
  }

  async findTokenByHash(hash: string): Promise<{ token: ApiToken; user: User } | null> {
    const result = await this.db.query<TokenRow>(`SELECT ${columns.token} FROM api_tokens WHERE token_hash = $1`, [
      hash,
    ]);
    const token = result.rows[0];
    if (!token) return null;
    const user = await this.getUser(token.user_id);
    return user ? { token: toToken(token), user } : null;
  }

  async listTokens(userId: string): Promise<ApiToken[]> {
    const result = await this.db.query<TokenRow>(
      `SELECT ${columns.token} FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id`,
      [userId],
    );
    return result.rows.map(toToken);
  }

  async listThreads(userId: string, query: ThreadListQuery): Promise<{ threads: ThreadSummary[]; total: number }> {
    const project = query.projectId ?? null;
    const result = await this.db.query<ThreadRow & { entry_count: number; last_entry_at: Date | null }>(
      `SELECT t.id, t.project_id, t.name, t.status, t.created_at, t.updated_at, t.deleted_at,
         (SELECT COUNT(*)::int FROM entries e WHERE e.user_id = t.user_id AND e.project_id = t.project_id
            AND e.thread_id = t.id AND e.deleted_at IS NULL) AS entry_count,
         (SELECT MAX(e.created_at) FROM entries e WHERE e.user_id = t.user_id AND e.project_id = t.project_id
            AND e.thread_id = t.id) AS last_entry_at
       FROM threads t
       WHERE t.user_id = $1 AND t.deleted_at IS NULL AND ($2::text IS NULL OR t.project_id = $2)
       ORDER BY COALESCE((SELECT MAX(e.created_at) FROM entries e WHERE e.user_id = t.user_id
         AND e.project_id = t.project_id AND e.thread_id = t.id), t.updated_at) DESC, t.project_id, t.id
       LIMIT $3 OFFSET $4`,
      [userId, project, query.limit, query.offset],
    );
    const total = await this.db.query<{ n: number }>(
      "SELECT COUNT(*)::int AS n FROM threads WHERE user_id = $1 AND deleted_at IS NULL AND ($2::text IS NULL OR project_id = $2)",
      [userId, project],
    );
    return {
      threads: result.rows.map((row) => ({
        ...toThread(row),
        entryCount: row.entry_count,
        lastEntryAt: isoTimeOrNull(row.last_entry_at),
      })),
      total: total.rows[0]?.n ?? 0,
    };
  }

  async findThreads(userId: string, threadId: string, projectId?: string): Promise<Thread[]> {
    const result = await this.db.query<ThreadRow>(
      `SELECT ${columns.thread} FROM threads WHERE user_id = $1 AND id = $2 AND deleted_at IS NULL
       AND ($3::text IS NULL OR project_id = $3) ORDER BY project_id`,
      [userId, threadId, projectId ?? null],
    );
    return result.rows.map(toThread);
  }

  async listEntries(userId: string, query: EntryListQuery): Promise<{ entries: Entry[]; total: number }> {
    const where = "user_id = $1 AND project_id = $2 AND thread_id = $3 AND deleted_at IS NULL";
    const params = [userId, query.projectId, query.threadId];
    const rows = await this.db.query<EntryRow>(
      `SELECT ${columns.entry} FROM entries WHERE ${where} ORDER BY created_at, id LIMIT $4 OFFSET $5`,
      [...params, query.limit, query.offset],
    );
    const total = await this.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM entries WHERE ${where}`, params);
    return { entries: rows.rows.map(toEntry), total: total.rows[0]?.n ?? 0 };
  }

  async threadStats(userId: string, projectId: string, threadId: string): Promise<ThreadStats> {
    const where = "user_id = $1 AND project_id = $2 AND thread_id = $3 AND deleted_at IS NULL";
    const params = [userId, projectId, threadId];
    const count = await this.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM entries WHERE ${where}`, params);
    const last = await this.db.query<{ id: string; created_at: Date }>(
      `SELECT id, created_at FROM entries WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 1`,
      params,
    );
    const lastRow = last.rows[0];
    return {
      entryCount: count.rows[0]?.n ?? 0,
      lastEntry: lastRow ? { id: lastRow.id, createdAt: isoTime(lastRow.created_at) } : null,
    };
  }

  async searchEntries(userId: string, query: EntrySearchQuery): Promise<SearchHit[]> {
    return searchPostgresEntries(this.db, userId, query);
  }

  async getDeviceSeq(userId: string, deviceId: string): Promise<number> {
    // Inside a push, lock the user first: two pushes of one user then apply
    // one after the other, and each sees the other's device seq.
    if (this.inTransaction) await this.lockUser(userId);
    const result = await this.db.query<{ last_applied_seq: string }>(
      "SELECT last_applied_seq FROM devices WHERE user_id = $1 AND device_id = $2",
      [userId, deviceId],
    );
    return Number(result.rows[0]?.last_applied_seq ?? 0);
  }

  async changesSince(userId: string, cursor: number, limit: number): Promise<Change[]> {
    const lists = await Promise.all(
      changeSources.map(async (source) => {
        const result = await this.db.query<Record<string, unknown>>(
          `SELECT seq, ${source.columns} FROM ${source.table} WHERE user_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
          [userId, cursor, limit],
        );
        return result.rows.map(source.toChange);
      }),
    );
    return mergeChanges(lists, limit);
  }

  async createUser(user: User): Promise<void> {
    await this.db.query("INSERT INTO users (id, name, created_at) VALUES ($1, $2, $3)", [
      user.id,
      user.name,
      user.createdAt,
    ]);
  }

  async createToken(token: NewToken): Promise<void> {
    await this.db.query(
      "INSERT INTO api_tokens (id, user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
      [token.id, token.userId, token.name, token.hash, token.createdAt, token.expiresAt],
    );
  }

  async touchToken(tokenId: string, at: string): Promise<void> {
    await this.db.query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", [at, tokenId]);
  }

  async revokeToken(userId: string, tokenId: string, at: string): Promise<boolean> {
    const result = await this.db.query(
      "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
      [at, tokenId, userId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async ensureProject(userId: string, project: { id: string; name: string; createdAt: string }): Promise<void> {
    await this.db.query(
      "INSERT INTO projects (user_id, id, name, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
      [userId, project.id, project.name, project.createdAt],
    );
  }

  async ensureThread(userId: string, thread: Thread, seq: () => Promise<number>): Promise<EnsureThreadOutcome> {
    const existing = await this.db.query<{ deleted_at: Date | null }>(
      "SELECT deleted_at FROM threads WHERE user_id = $1 AND project_id = $2 AND id = $3",
      [userId, thread.projectId, thread.id],
    );
    const row = existing.rows[0];
    if (row && row.deleted_at === null) return "exists";
    if (row) {
      await this.db.query(
        "UPDATE threads SET deleted_at = NULL, updated_at = $1, seq = $2 WHERE user_id = $3 AND project_id = $4 AND id = $5",
        [thread.updatedAt, await seq(), userId, thread.projectId, thread.id],
      );
      return "restored";
    }
    await this.putThread(userId, { ...thread, deletedAt: null }, await seq());
    return "created";
  }

  async insertEntry(userId: string, entry: Entry, seq: number): Promise<boolean> {
    const result = await this.db.query(
      `INSERT INTO entries (id, user_id, project_id, thread_id, session_id, author, content, created_at, seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (user_id, id) DO NOTHING`,
      [
        entry.id,
        userId,
        entry.projectId,
        entry.threadId,
        entry.sessionId,
        entry.author,
        entry.content,
        entry.createdAt,
        seq,
      ],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async deleteThread(
    userId: string,
    key: { projectId: string; threadId: string; at: string; seq: number },
  ): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE threads SET deleted_at = $1, updated_at = $1, seq = $2
       WHERE user_id = $3 AND project_id = $4 AND id = $5 AND deleted_at IS NULL`,
      [key.at, key.seq, userId, key.projectId, key.threadId],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async putThread(userId: string, thread: Thread, seq: number): Promise<void> {
    await this.db.query(
      `INSERT INTO threads (user_id, project_id, id, name, status, created_at, updated_at, deleted_at, seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (user_id, project_id, id) DO UPDATE SET name = excluded.name, status = excluded.status,
         updated_at = excluded.updated_at, deleted_at = excluded.deleted_at, seq = excluded.seq`,
      [
        userId,
        thread.projectId,
        thread.id,
        thread.name,
        thread.status,
        thread.createdAt,
        thread.updatedAt,
        thread.deletedAt,
        seq,
      ],
    );
  }

  inTransaction = false;

  private async lockUser(userId: string): Promise<number> {
    const cached = this.seqs.get(userId);
    if (cached !== undefined) return cached;
    const result = await this.db.query<{ change_seq: string }>(
      "SELECT change_seq FROM users WHERE id = $1 FOR UPDATE",
      [userId],
    );
    const row = result.rows[0];
    if (!row) throw new Error(`No user ${userId} to allocate a change sequence for`);
    const current = Number(row.change_seq);
    this.seqs.set(userId, current);
    return current;
  }

  async nextSeq(userId: string): Promise<number> {
    if (!this.inTransaction) throw new Error("nextSeq outside a transaction");
    const next = (await this.lockUser(userId)) + 1;
    this.seqs.set(userId, next);
    return next;
  }

  async setDeviceSeq(userId: string, deviceId: string, seq: number, at: string): Promise<void> {
    await this.db.query(
      `INSERT INTO devices (user_id, device_id, last_applied_seq, last_seen_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, device_id) DO UPDATE SET last_applied_seq = excluded.last_applied_seq,
         last_seen_at = excluded.last_seen_at`,
      [userId, deviceId, seq, at],
    );
  }
}
