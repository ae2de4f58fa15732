import type {
  ChatMessage,
  Conversation,
  ConversationSummary,
  NewChatMessage,
  PendingConfirmation,
  ToolInvocation,
} from "./chat/chat-entities";
import type { ApiToken, Entry, Memory, MemoryKind, SearchHit, Session, Thread, User } from "./entities";
import type { Job, JobClaim, JobCount, JobListQuery, JobOutcome, NewJob } from "./jobs/job-entities";
import type { MatchMode } from "./search-terms";
import type { Task, TaskPriority, TaskStatus } from "./task-entities";
import type {
  DeliveryAttempt,
  NewDelivery,
  WebhookDelivery,
  WebhookEndpointWithSecret,
  WebhookSource,
  WebhookSourceWithSecret,
} from "./webhooks/webhook-entities";

/**
 * The storage port. Operations depend on this interface only; the SQLite and
 * PostgreSQL adapters implement it and pass one contract suite
 * (packages/store/src/contract/store-contract.ts).
 *
 * Every method takes the user id first and filters by it: no query in Cairn
 * reads or writes another user's rows.
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
  limit: number;
  offset: number;
}

export interface TaskHit {
  type: "task";
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
  /** sync.batch | delete | restore | purge | conflict | recovery | alert.ack | alert.raised */
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

/** Conversations of the chat agent (server only; the CLI's mirror has the tables but never fills them). */
export interface ChatReader {
  getConversation(userId: string, id: string): Promise<Conversation | null>;
  /** Whether any user has a conversation with this id: only to answer 403 rather than 404. */
  conversationExists(id: string): Promise<boolean>;
  findConversationByOrigin(userId: string, clientMessageId: string): Promise<Conversation | null>;
  listConversations(
    userId: string,
    query: { limit: number; offset: number },
  ): Promise<{ conversations: ConversationSummary[]; total: number }>;
  findMessageByClientId(userId: string, conversationId: string, clientMessageId: string): Promise<ChatMessage | null>;
  /** The newest `limit` messages (before seq `beforeSeq` when given), oldest first. */
  recentMessages(userId: string, conversationId: string, limit: number, beforeSeq?: number): Promise<ChatMessage[]>;
  messagesAfter(userId: string, conversationId: string, afterSeq: number, limit: number): Promise<ChatMessage[]>;
  listMessages(
    userId: string,
    conversationId: string,
    query: { limit: number; offset: number },
  ): Promise<{ messages: ChatMessage[]; total: number }>;
  getToolInvocation(userId: string, toolCallId: string): Promise<ToolInvocation | null>;
  getConfirmation(userId: string, id: string): Promise<PendingConfirmation | null>;
}

export interface ChatWriter {
  /** False when `originClientMessageId` already started another conversation of this user. */
  createConversation(
    userId: string,
    conversation: Conversation,
    originClientMessageId: string | null,
  ): Promise<boolean>;
  deleteConversation(userId: string, id: string): Promise<boolean>;
  /** Appends at the next seqs; a message whose client message id is taken is skipped (not returned). */
  appendMessages(
    userId: string,
    conversationId: string,
    messages: NewChatMessage[],
    at: string,
  ): Promise<ChatMessage[]>;
  setMessageStatus(
    userId: string,
    messageId: string,
    change: { status: ChatMessage["status"]; error: string | null; onlyIf?: ChatMessage["status"][] | undefined },
  ): Promise<boolean>;
  putToolInvocation(userId: string, invocation: ToolInvocation): Promise<void>;
  putConfirmation(userId: string, confirmation: PendingConfirmation): Promise<void>;
  /** False when it was used already: a confirmation runs at most once. */
  useConfirmation(userId: string, id: string, at: string): Promise<boolean>;
}

export interface StoreReader extends ChatReader {
  getUser(userId: string): Promise<User | null>;
  findUserByName(name: string): Promise<User | null>;
  countUsers(): Promise<number>;
  /** System: every user by name, with their live tokens' count (`cairn admin user list`). */
  listUsers(query: {
    limit: number;
    offset: number;
  }): Promise<{ users: (User & { activeTokens: number })[]; total: number }>;
  findTokenByHash(hash: string): Promise<{ token: ApiToken; user: User } | null>;
  listTokens(userId: string): Promise<ApiToken[]>;
  listThreads(userId: string, query: ThreadListQuery): Promise<{ threads: ThreadSummary[]; total: number }>;
  /** The user's projects, most recently active first, with their counts; personal tasks counted apart. */
  listProjects(
    userId: string,
    query: { limit: number; offset: number },
  ): Promise<{ projects: ProjectSummary[]; total: number; personalTasks: number }>;
  /** Threads with this id; in one project when `projectId` is given, else in any. Deleted ones excluded. */
  findThreads(userId: string, threadId: string, projectId?: string): Promise<Thread[]>;
  listEntries(userId: string, query: EntryListQuery): Promise<{ entries: Entry[]; total: number }>;
  threadStats(userId: string, projectId: string, threadId: string): Promise<ThreadStats>;
  searchEntries(userId: string, query: EntrySearchQuery): Promise<SearchHit[]>;
  getDeviceSeq(userId: string, deviceId: string): Promise<number>;
  /** The reasons of those of `seqs` this device had rejected (a replay answers them the same way). */
  findRejections(userId: string, deviceId: string, seqs: number[]): Promise<{ seq: number; reason: string }[]>;
  /**
   * Changes with cursor < seq <= `upTo` (no bound when absent), oldest first,
   * at most `limit`; without the entries last written by `excludeDevice`.
   */
  changesSince(
    userId: string,
    cursor: number,
    limit: number,
    options?: { excludeDevice?: string | undefined; upTo?: number | undefined },
  ): Promise<Change[]>;
  /** The user's last committed change seq (every change so far has seq <= it). */
  changeHorizon(userId: string): Promise<number>;
  getMemory(userId: string, id: string): Promise<Memory | null>;
  listMemories(userId: string, query: MemoryListQuery): Promise<{ memories: Memory[]; total: number }>;
  searchMemories(userId: string, query: MemorySearchQuery): Promise<MemoryHit[]>;
  searchTasks(userId: string, query: TaskSearchQuery): Promise<TaskHit[]>;
  /** Which of these plain words occur in any of the user's live entries or memories (the oracle's check). */
  presentTerms(userId: string, terms: string[]): Promise<Set<string>>;
  getTask(userId: string, id: string): Promise<Task | null>;
  listTasks(userId: string, query: TaskListQuery): Promise<{ tasks: Task[]; total: number }>;
  getSession(userId: string, id: string): Promise<Session | null>;
  /** Newest first. */
  listSessions(userId: string, query: SessionListQuery): Promise<{ sessions: Session[]; total: number }>;
  /** An entry by id (deleted ones too). */
  getEntry(userId: string, id: string): Promise<Entry | null>;
  /** Entries recorded in a session, oldest first (deleted ones excluded). */
  sessionEntries(userId: string, sessionId: string, limit: number): Promise<Entry[]>;
  listAudit(
    userId: string,
    query: { since?: string | undefined; action?: string | undefined; limit: number; offset: number },
  ): Promise<{ events: AuditEvent[]; total: number }>;
  /** Deletes recorded in the audit log since `since`: how many, and up to 100 of their target ids. */
  recentDeletes(userId: string, since: string): Promise<{ count: number; ids: string[] }>;
  listAlerts(
    userId: string,
    query: { open?: boolean | undefined; limit: number; offset: number },
  ): Promise<{ alerts: Alert[]; total: number }>;
  listTrash(
    userId: string,
    query: { projectId?: string | undefined; limit: number; offset: number },
  ): Promise<{ items: TrashItem[]; total: number }>;
  /** Counts and hashes per synced type, over the same rows a recovery restores. */
  digest(userId: string, query: { projectId?: string | undefined; since?: string | undefined }): Promise<Digest>;
  /** Per synced type, how many rows the digest with the same filter covers (without hashing them). */
  countRows(
    userId: string,
    query: { projectId?: string | undefined; since?: string | undefined },
  ): Promise<Record<string, number>>;
  /** System job: sessions of every user with no activity since `before` and not ended. */
  findIdleSessions(before: string, limit: number): Promise<{ userId: string; session: Session }[]>;
  getJob(id: string): Promise<Job | null>;
  listJobs(query: JobListQuery): Promise<{ jobs: Job[]; total: number }>;
  countJobs(): Promise<JobCount[]>;
  /** How far a background consumer (embeddings, webhooks) has read a user's change feed. */
  feedCursor(userId: string, consumer: string): Promise<number>;
  usersBehindFeed(consumer: string, limit: number): Promise<string[]>;
  countEmbeddings(userId: string, model: string): Promise<number>;
  nearestRows(userId: string, query: NearestQuery): Promise<VectorHit[]>;
  listWebhookEndpoints(userId: string): Promise<WebhookEndpointWithSecret[]>;
  getWebhookEndpoint(userId: string, id: string): Promise<WebhookEndpointWithSecret | null>;
  getDelivery(userId: string, id: string): Promise<(WebhookDelivery & { body: string }) | null>;
  listDeliveries(
    userId: string,
    query: { endpointId?: string | undefined; status?: string | undefined; limit: number; offset: number },
  ): Promise<{ deliveries: WebhookDelivery[]; total: number }>;
  /** Across users: an inbound request names its source, and its signature proves it. */
  findWebhookSource(id: string): Promise<WebhookSourceWithSecret | null>;
  listWebhookSources(userId: string): Promise<WebhookSource[]>;
}

export interface StoreWriter extends StoreReader, ChatWriter {
  /**
   * Runs `work` so that when it throws, only its own writes are undone and the transaction
   * can go on (a savepoint). Everything `work` wrote has reached the database when it
   * returns (PostgreSQL's buffered entries included), so a value the database refuses
   * fails here, inside, and not later at commit.
   */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
  createUser(user: User): Promise<void>;
  createToken(token: NewToken): Promise<void>;
  touchToken(tokenId: string, at: string): Promise<void>;
  revokeToken(userId: string, tokenId: string, at: string): Promise<boolean>;
  ensureProject(userId: string, project: { id: string; name: string; createdAt: string }): Promise<void>;
  /** Creates the thread, or restores it when deleted; `seq` is used only when something changed. */
  ensureThread(userId: string, thread: Thread, seq: () => Promise<number>): Promise<EnsureThreadOutcome>;
  /**
   * Inserts unless (user, id) exists. `changedBy` is the device whose
   * mutation wrote it (a pull by that device leaves it out). An adapter may defer the write to its
   * next statement in the transaction (PostgreSQL batches them); reads in the
   * same transaction still see it.
   */
  insertEntry(userId: string, entry: Entry, seq: number, changedBy?: string | null): Promise<void>;
  /** Soft-deletes a thread; false when there was none. */
  deleteThread(userId: string, key: { projectId: string; threadId: string; at: string; seq: number }): Promise<boolean>;
  /** Replaces a thread with the server's version (client mirror only). */
  putThread(userId: string, thread: Thread, seq: number): Promise<void>;
  /** The next change sequence number of this user; allocated inside the transaction. */
  nextSeq(userId: string): Promise<number>;
  setDeviceSeq(userId: string, deviceId: string, seq: number, at: string): Promise<void>;
  /** Writes this version of a memory (insert or replace); the caller decided it wins. */
  putMemory(userId: string, memory: Memory, seq: number, changedBy?: string | null): Promise<void>;
  /** Writes this version of a task (insert or replace); the caller decided it wins. */
  putTask(userId: string, task: Task, seq: number, changedBy?: string | null): Promise<void>;
  /** Writes a session (insert or replace). */
  putSession(userId: string, session: Session, seq: number): Promise<void>;
  /** Moves a session's last activity forward (not a synced change). */
  touchSession(userId: string, sessionId: string, at: string): Promise<void>;
  /** Upserts an entry as the server sent it (the client mirror; a deleted one keeps its deletedAt). */
  putEntry(userId: string, entry: Entry, seq: number): Promise<void>;
  /** Soft-deletes or restores an entry; false when there was nothing to change. */
  setEntryDeleted(
    userId: string,
    change: { id: string; deletedAt: string | null; seq: number; changedBy?: string | null },
  ): Promise<boolean>;
  /** Takes a thread out of the trash; false when it was not there. */
  restoreThread(
    userId: string,
    key: { projectId: string; threadId: string; at: string; seq: number },
  ): Promise<boolean>;
  recordAudit(userId: string, event: AuditEvent): Promise<void>;
  /** Inserts or updates a destruction alert. */
  putAlert(userId: string, alert: Alert): Promise<void>;
  ackAlert(userId: string, id: string, at: string, by: string): Promise<boolean>;
  /** Opens an acknowledged alert again (it turned critical since); false when it was open. */
  reopenAlert(userId: string, id: string): Promise<boolean>;
  /** Deletes for good a row that is in the trash; false when it is not. */
  purgeTrashItem(userId: string, type: TrashType, id: string, projectId?: string): Promise<boolean>;
  /** System job: deletes for good every row of every user in the trash since before `before`. */
  purgeTrashBefore(before: string): Promise<number>;
  recordRejection(
    userId: string,
    deviceId: string,
    rejection: { seq: number; reason: string; at: string },
  ): Promise<void>;
  /** Adds a job; false when a queued or running job already holds its dedupe key. */
  enqueueJob(job: NewJob): Promise<boolean>;
  claimJobs(claim: JobClaim): Promise<Job[]>;
  finishJob(id: string, owner: string, outcome: JobOutcome, at: string): Promise<boolean>;
  extendJobLease(id: string, owner: string, until: string): Promise<boolean>;
  purgeDoneJobs(before: string): Promise<number>;
  putEmbeddings(userId: string, rows: StoredEmbedding[], at: string): Promise<void>;
  deleteEmbeddings(userId: string, refs: EmbeddingRef[]): Promise<void>;
  setFeedCursor(userId: string, consumer: string, seq: number): Promise<void>;
  putWebhookEndpoint(userId: string, endpoint: WebhookEndpointWithSecret): Promise<void>;
  deleteWebhookEndpoint(userId: string, id: string): Promise<boolean>;
  /** False when the endpoint already has a delivery of this event. */
  insertDelivery(userId: string, delivery: NewDelivery): Promise<boolean>;
  recordDeliveryAttempt(userId: string, id: string, attempt: DeliveryAttempt): Promise<void>;
  putWebhookSource(source: WebhookSourceWithSecret): Promise<void>;
  deleteWebhookSource(userId: string, id: string): Promise<boolean>;
  /** False when this signature was seen already (a replay); forgets those seen before `forgetBefore`. */
  recordIngestSignature(sourceId: string, signature: string, at: string, forgetBefore: string): Promise<boolean>;
}

export interface Store extends StoreReader {
  readonly kind: "sqlite" | "postgres";
  readonly vectorBackend: VectorBackend;
  /**
   * Whether `error` is the database refusing a value (PostgreSQL's data exceptions and
   * integrity violations, SQLite's constraint and size errors): the same write fails the
   * same way every time. Anything else (a lost connection, a full disk) may pass.
   */
  isDataError(error: unknown): boolean;
  /** Runs `work` in one transaction: all of it commits or none of it does. */
  transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
