import type { Entry, Memory, Session } from "@cairn/core/entities";
import type {
  Alert,
  AuditEvent,
  Digest,
  MemoryListQuery,
  SessionListQuery,
  StoreReader,
  StoreWriter,
  TrashItem,
  TrashType,
} from "@cairn/core/store-port";
import * as activity from "./activity-queries";
import { computeDigest, countRows } from "./digest";
import * as memories from "./memory-queries";
import * as sessions from "./session-queries";
import type { SqlExec } from "./sql-exec";
import * as trash from "./trash-queries";

export type FeatureQueries = Pick<
  StoreReader & StoreWriter,
  | "getMemory"
  | "listMemories"
  | "getSession"
  | "listSessions"
  | "getEntry"
  | "sessionEntries"
  | "listAudit"
  | "recentDeletes"
  | "listAlerts"
  | "listTrash"
  | "digest"
  | "countRows"
  | "findIdleSessions"
  | "putMemory"
  | "putSession"
  | "touchSession"
  | "setEntryDeleted"
  | "restoreThread"
  | "recordAudit"
  | "putAlert"
  | "ackAlert"
  | "purgeTrashItem"
  | "purgeTrashBefore"
>;

/**
 * The Store methods written once in portable SQL (see sql-exec.ts); each
 * adapter mixes them in over its own SqlExec. `before` runs ahead of every
 * call (PostgreSQL flushes its buffered entries there).
 */
export function featureQueries(sql: SqlExec): FeatureQueries {
  return {
    getMemory: (userId: string, id: string): Promise<Memory | null> => memories.getMemory(sql, userId, id),
    listMemories: (userId: string, query: MemoryListQuery) => memories.listMemories(sql, userId, query),
    getSession: (userId: string, id: string): Promise<Session | null> => sessions.getSession(sql, userId, id),
    listSessions: (userId: string, query: SessionListQuery) => sessions.listSessions(sql, userId, query),
    getEntry: (userId: string, id: string): Promise<Entry | null> => trash.getEntry(sql, userId, id),
    sessionEntries: (userId: string, sessionId: string, limit: number) =>
      trash.sessionEntries(sql, userId, sessionId, limit),
    listAudit: (userId, query) => activity.listAudit(sql, userId, query),
    recentDeletes: (userId: string, since: string) => activity.recentDeletes(sql, userId, since),
    listAlerts: (userId, query) => activity.listAlerts(sql, userId, query),
    listTrash: (userId, query): Promise<{ items: TrashItem[]; total: number }> => trash.listTrash(sql, userId, query),
    digest: (userId, query): Promise<Digest> => computeDigest(sql, userId, query),
    countRows: (userId, query) => countRows(sql, userId, query),
    findIdleSessions: (before: string, limit: number) => sessions.findIdleSessions(sql, before, limit),
    putMemory: (userId: string, memory: Memory, seq: number, changedBy?: string | null) =>
      memories.putMemory(sql, userId, memory, seq, changedBy ?? null),
    putSession: (userId: string, session: Session, seq: number) => sessions.putSession(sql, userId, session, seq),
    touchSession: (userId: string, sessionId: string, at: string) => sessions.touchSession(sql, userId, sessionId, at),
    setEntryDeleted: (userId, change) => trash.setEntryDeleted(sql, userId, change),
    restoreThread: (userId, key) => trash.restoreThread(sql, userId, key),
    recordAudit: (userId: string, event: AuditEvent) => activity.recordAudit(sql, userId, event),
    putAlert: (userId: string, alert: Alert) => activity.putAlert(sql, userId, alert),
    ackAlert: (userId: string, id: string, at: string, by: string) => activity.ackAlert(sql, userId, id, at, by),
    purgeTrashItem: (userId: string, type: TrashType, id: string, projectId?: string) =>
      trash.purgeTrashItem(sql, userId, type, id, projectId),
    purgeTrashBefore: (before: string) => trash.purgeTrashBefore(sql, before),
  };
}
