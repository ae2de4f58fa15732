import type { Entry, Thread } from "@cairn/core/entities";
import type {
  Change,
  EntryListQuery,
  ThreadListQuery,
  ThreadStats,
  ThreadSummary,
} from "@cairn/core/store/store-types";
import type Database from "better-sqlite3";
import { changeSources } from "../change-sources";
import { mergeChanges } from "../merge-changes";
import { columns, type EntryRow, type ThreadRow, toEntry, toThread } from "../row-mappers";
import { threadActivityClause } from "../shared/attribution-filter";

/**
 * The SQLite adapter's own reads on its connection, with the cache of prepared statements every
 * query of the adapter goes through: threads and their entries, and the change feed and device
 * state of sync. SqliteStore adds the transactions and the writes.
 */
export class SqliteReads {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  /** A cached prepared statement. */
  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async listThreads(userId: string, query: ThreadListQuery): Promise<{ threads: ThreadSummary[]; total: number }> {
    const project = query.projectId ?? null;
    const activity = threadActivityClause(query);
    const rows = this.prepare(`
      SELECT t.id, t.project_id, t.name, t.status, t.created_at, t.updated_at, t.deleted_at,
        (SELECT COUNT(*) FROM entries e WHERE e.user_id = t.user_id AND e.project_id = t.project_id
           AND e.thread_id = t.id AND e.deleted_at IS NULL) AS entry_count,
        (SELECT MAX(e.created_at) FROM entries e WHERE e.user_id = t.user_id AND e.project_id = t.project_id
           AND e.thread_id = t.id) AS last_entry_at
      FROM threads t
      WHERE t.user_id = ? AND t.deleted_at IS NULL AND (? IS NULL OR t.project_id = ?)${activity.sql}
      ORDER BY COALESCE(last_entry_at, t.updated_at) DESC, t.project_id, t.id
      LIMIT ? OFFSET ?`).all(userId, project, project, ...activity.params, query.limit, query.offset) as (ThreadRow & {
      entry_count: number;
      last_entry_at: string | null;
    })[];
    const total = (
      this.prepare(
        `SELECT COUNT(*) AS n FROM threads t WHERE t.user_id = ? AND t.deleted_at IS NULL
           AND (? IS NULL OR t.project_id = ?)${activity.sql}`,
      ).get(userId, project, project, ...activity.params) as { n: number }
    ).n;
    return {
      threads: rows.map((row) => ({ ...toThread(row), entryCount: row.entry_count, lastEntryAt: row.last_entry_at })),
      total,
    };
  }

  async findThreads(userId: string, threadId: string, projectId?: string): Promise<Thread[]> {
    const project = projectId ?? null;
    const rows = this.prepare(`SELECT ${columns.thread} FROM threads
      WHERE user_id = ? AND id = ? AND deleted_at IS NULL AND (? IS NULL OR project_id = ?) ORDER BY project_id`).all(
      userId,
      threadId,
      project,
      project,
    ) as ThreadRow[];
    return rows.map(toThread);
  }

  async listEntries(userId: string, query: EntryListQuery): Promise<{ entries: Entry[]; total: number }> {
    const where = "user_id = ? AND project_id = ? AND thread_id = ? AND deleted_at IS NULL";
    const rows = this.prepare(
      `SELECT ${columns.entry} FROM entries WHERE ${where} ORDER BY created_at, id LIMIT ? OFFSET ?`,
    ).all(userId, query.projectId, query.threadId, query.limit, query.offset) as EntryRow[];
    const total = (
      this.prepare(`SELECT COUNT(*) AS n FROM entries WHERE ${where}`).get(userId, query.projectId, query.threadId) as {
        n: number;
      }
    ).n;
    return { entries: rows.map(toEntry), total };
  }

  async threadStats(userId: string, projectId: string, threadId: string): Promise<ThreadStats> {
    const where = "user_id = ? AND project_id = ? AND thread_id = ? AND deleted_at IS NULL";
    const count = this.prepare(`SELECT COUNT(*) AS n FROM entries WHERE ${where}`).get(userId, projectId, threadId) as {
      n: number;
    };
    const last = this.prepare(
      `SELECT id, created_at FROM entries WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT 1`,
    ).get(userId, projectId, threadId) as { id: string; created_at: string } | undefined;
    return { entryCount: count.n, lastEntry: last ? { id: last.id, createdAt: last.created_at } : null };
  }

  async getDeviceSeq(userId: string, deviceId: string): Promise<number> {
    const row = this.prepare("SELECT last_applied_seq FROM devices WHERE user_id = ? AND device_id = ?").get(
      userId,
      deviceId,
    ) as { last_applied_seq: number } | undefined;
    return row?.last_applied_seq ?? 0;
  }

  async changesSince(
    userId: string,
    cursor: number,
    limit: number,
    options: { excludeDevice?: string | undefined; upTo?: number | undefined } = {},
  ): Promise<Change[]> {
    const upTo = options.upTo ?? Number.MAX_SAFE_INTEGER;
    const lists = changeSources.map((source) => {
      const exclude = source.changedBy && options.excludeDevice !== undefined;
      return (
        this.prepare(
          `SELECT seq, ${source.columns} FROM ${source.table} WHERE user_id = ? AND seq > ? AND seq <= ?
           ${exclude ? "AND changed_by IS NOT ?" : ""} ORDER BY seq LIMIT ?`,
        ).all(userId, cursor, upTo, ...(exclude ? [options.excludeDevice] : []), limit) as Record<string, unknown>[]
      ).map(source.toChange);
    });
    return mergeChanges(lists, limit);
  }

  async changeHorizon(userId: string): Promise<number> {
    const row = this.prepare("SELECT change_seq FROM users WHERE id = ?").get(userId) as
      | { change_seq: number }
      | undefined;
    return row?.change_seq ?? 0;
  }

  async findRejections(userId: string, deviceId: string, seqs: number[]): Promise<{ seq: number; reason: string }[]> {
    if (seqs.length === 0) return [];
    const statement = this.prepare(
      "SELECT seq, reason FROM rejected_mutations WHERE user_id = ? AND device_id = ? AND seq = ?",
    );
    return seqs.flatMap((seq) => {
      const row = statement.get(userId, deviceId, seq) as { seq: number; reason: string } | undefined;
      return row ? [row] : [];
    });
  }
}
