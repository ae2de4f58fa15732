import type { ApiToken, Entry, Thread, User } from "@cairn/core/entities";

/** Times come back as ISO text from SQLite and as Date from PostgreSQL. */
export function isoTime(value: string | Date): string {
  return typeof value === "string" ? value : value.toISOString();
}

export function isoTimeOrNull(value: string | Date | null): string | null {
  return value === null ? null : isoTime(value);
}

export interface UserRow {
  id: string;
  name: string;
  created_at: string | Date;
}

export function toUser(row: UserRow): User {
  return { id: row.id, name: row.name, createdAt: isoTime(row.created_at) };
}

export interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  created_at: string | Date;
  last_used_at: string | Date | null;
  expires_at: string | Date | null;
  revoked_at: string | Date | null;
}

export function toToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    createdAt: isoTime(row.created_at),
    lastUsedAt: isoTimeOrNull(row.last_used_at),
    expiresAt: isoTimeOrNull(row.expires_at),
    revokedAt: isoTimeOrNull(row.revoked_at),
  };
}

export interface ThreadRow {
  id: string;
  project_id: string;
  name: string;
  status: string;
  created_at: string | Date;
  updated_at: string | Date;
  deleted_at: string | Date | null;
}

export function toThread(row: ThreadRow): Thread {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    status: row.status === "archived" ? "archived" : "active",
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    deletedAt: isoTimeOrNull(row.deleted_at),
  };
}

export interface EntryRow {
  id: string;
  project_id: string;
  thread_id: string;
  session_id: string | null;
  author: string;
  content: string;
  created_at: string | Date;
  deleted_at: string | Date | null;
}

export function toEntry(row: EntryRow): Entry {
  return {
    id: row.id,
    threadId: row.thread_id,
    projectId: row.project_id,
    sessionId: row.session_id,
    author: row.author,
    content: row.content,
    createdAt: isoTime(row.created_at),
    deletedAt: isoTimeOrNull(row.deleted_at),
  };
}

/** Column lists, spelled out once (no SELECT * in runtime SQL). */
export const columns = {
  user: "id, name, created_at",
  token: "id, user_id, name, created_at, last_used_at, expires_at, revoked_at",
  thread: "id, project_id, name, status, created_at, updated_at, deleted_at",
  entry: "id, project_id, thread_id, session_id, author, content, created_at, deleted_at",
} as const;
