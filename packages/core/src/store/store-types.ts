import type { Entry, Memory, MemoryKind, Session, Thread } from "../entities";
import type { MatchMode } from "../search-terms";
import type { Task, TaskPriority, TaskStatus } from "../task-entities";

/**
 * The vocabulary of the storage port (store-port.ts): the queries it takes and the rows it
 * answers with.
 */

export interface ThreadSummary extends Thread {
  entryCount: number;
  lastEntryAt: string | null;
}

/** A project with what it holds (live rows) and when it was last active. */
export interface ProjectSummary {
  id: string;
  name: string;
  createdAt: string;
  lastActivityAt: string;
  threads: number;
  entries: number;
  memories: number;
  tasks: number;
  sessions: number;
}

export interface ThreadListQuery {
  projectId?: string | undefined;
  /** Only threads with entries recorded in this session / window. */
  sessionId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
  offset: number;
}

export interface EntryListQuery {
  projectId: string;
  threadId: string;
  limit: number;
  offset: number;
}

export interface EntrySearchQuery {
  /** Plain words, already sanitised by `searchTerms`; never raw user text. */
  terms: string[];
  /** Every term (default), any one, or the terms as a phrase. */
  match?: MatchMode | undefined;
  projectId?: string | undefined;
  sessionId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  /** Each row's whole searched text instead of a snippet: the caller ranks and highlights (unified search). */
  withText?: boolean | undefined;
  limit: number;
  offset: number;
}

export interface ThreadStats {
  entryCount: number;
  lastEntry: { id: string; createdAt: string } | null;
}

/** The attribution filters every list and search takes (SPEC section 9): ISO times, `until` exclusive. */
export interface AttributionQuery {
  projectId?: string | undefined;
  sessionId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}

export interface MemoryListQuery extends AttributionQuery {
  kind?: MemoryKind | undefined;
  tag?: string | undefined;
  /** The trash: only deleted memories. */
  deleted?: boolean | undefined;
  limit: number;
  offset: number;
}

export interface TaskListQuery {
  /** That project's tasks and the personal (project-less) ones; absent: every task. */
  projectId?: string | undefined;
  statuses?: TaskStatus[] | undefined;
  priority?: TaskPriority | undefined;
  /** Due strictly before / at or after (ISO). */
  dueBefore?: string | undefined;
  dueAfter?: string | undefined;
  /** Only tasks with no due date. */
  noDue?: boolean | undefined;
  completedSince?: string | undefined;
  completedUntil?: string | undefined;
  /** Case-insensitive substring of the title (matched literally, never as a pattern). */
  titleContains?: string | undefined;
  /** The trash: only deleted tasks. */
  deleted?: boolean | undefined;
  limit: number;
  offset: number;
}

export interface MemorySearchQuery extends AttributionQuery {
  /** Plain words, already sanitised by `searchTerms`. */
  terms: string[];
  match?: MatchMode | undefined;
  /** Each row's whole searched text instead of a snippet: the caller ranks and highlights (unified search). */
  withText?: boolean | undefined;
  limit: number;
  offset: number;
}

/** Task search: title and description; `projectId` also takes the personal (project-less) tasks. */
export interface TaskSearchQuery {
  terms: string[];
  match?: MatchMode | undefined;
  projectId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  /** Each row's whole searched text instead of a snippet: the caller ranks and highlights (unified search). */
  withText?: boolean | undefined;
  limit: number;
  offset: number;
}

export interface TaskHit {
  type: "task";
  /** The title and description, when the query asked `withText`. */
  text?: string | undefined;
  id: string;
  snippet: string;
  score: number;
  project: string | null;
  session: null;
  title: string;
  status: TaskStatus;
  updatedAt: string;
}

export interface MemoryHit {
  type: "memory";
  /** The content and tags, when the query asked `withText`. */
  text?: string | undefined;
  id: string;
  snippet: string;
  score: number;
  project: string;
  session: string | null;
  kind: MemoryKind;
  tags: string[];
  updatedAt: string;
}

export interface SessionListQuery extends Omit<AttributionQuery, "sessionId"> {
  limit: number;
  offset: number;
}

export interface AuditEvent {
  id: string;
  at: string;
  deviceId: string | null;
  /** sync.batch | delete | restore | purge | conflict | version (a memory written over) | recovery | alert.ack | alert.raised */
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown>;
}

export interface Alert {
  id: string;
  kind: "destruction";
  severity: "warning" | "critical";
  windowStart: string;
  windowEnd: string;
  /** Deletes in the window, applied and refused. */
  deleteCount: number;
  /** Deletes refused with 423 while the guard blocked. */
  blockedCount: number;
  /** Of those, how many went through after the acknowledgement (counted when blocked, not again). */
  releasedCount: number;
  deletedIds: string[];
  createdAt: string;
  updatedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

export type TrashType = "entry" | "thread" | "memory" | "task";

export interface TrashItem {
  type: TrashType;
  id: string;
  projectId: string;
  /** The thread of an entry; the thread itself for a thread. */
  threadId: string | null;
  deletedAt: string;
  preview: string;
}

/** Per synced type: how many rows, and a hash of their ids and contents (order-independent of storage). */
export type Digest = Record<string, { count: number; hash: string }>;

/** One row of the change log as pull returns it, in server order. */
export type Change =
  | { seq: number; type: "thread"; thread: Thread }
  | { seq: number; type: "entry"; entry: Entry }
  | { seq: number; type: "memory"; memory: Memory }
  | { seq: number; type: "session"; session: Session }
  | { seq: number; type: "task"; task: Task };

export interface NewToken {
  id: string;
  userId: string;
  name: string;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
}

/** A row type that has embeddings for hybrid search. */
export type EmbeddedType = "entry" | "memory" | "task";

export interface EmbeddingRef {
  type: EmbeddedType;
  id: string;
}

export interface StoredEmbedding extends EmbeddingRef {
  model: string;
  vector: ArrayLike<number>;
}

export interface NearestQuery {
  type: EmbeddedType;
  model: string;
  vector: ArrayLike<number>;
  projectId?: string | undefined;
  sessionId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit: number;
}

/** A row found by vector similarity (cosine, -1 to 1), with what a search hit shows of it. */
export interface VectorHit {
  type: EmbeddedType;
  id: string;
  snippet: string;
  similarity: number;
  project: string | null;
  session: string | null;
  createdAt: string;
  thread?: string;
  author?: string;
  kind?: string;
  title?: string;
  status?: string;
}

/** How the store ranks vectors: sqlite-vec or a registered function on SQLite, pgvector or array arithmetic on PostgreSQL. */
export type VectorBackend = "sqlite-vec" | "sqlite-function" | "pgvector" | "postgres-arrays";

export type EnsureThreadOutcome = "created" | "exists" | "restored";

/** A device as the server sees it: how far it has pushed, when it was last seen, what it had refused. */
export interface DeviceStatus {
  deviceId: string;
  name: string | null;
  lastAppliedSeq: number;
  lastSeenAt: string | null;
  /** How many of its mutations the server rejected, and the latest reason. */
  rejected: number;
  lastRejection: { reason: string; at: string } | null;
}
