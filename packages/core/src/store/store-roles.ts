import type {
  ChatMessage,
  Conversation,
  ConversationSummary,
  NewChatMessage,
  PendingConfirmation,
  ToolInvocation,
} from "../chat/chat-entities";
import type { ApiToken, Entry, Memory, SearchHit, Session, Thread, User } from "../entities";
import type { Job, JobClaim, JobCount, JobListQuery, JobOutcome, NewJob } from "../jobs/job-entities";
import type { Task } from "../task-entities";
import type {
  DeliveryAttempt,
  NewDelivery,
  WebhookDelivery,
  WebhookEndpointWithSecret,
  WebhookSource,
  WebhookSourceWithSecret,
} from "../webhooks/webhook-entities";
import type {
  Alert,
  AuditEvent,
  Change,
  DeviceStatus,
  Digest,
  EmbeddingRef,
  EnsureThreadOutcome,
  EntryListQuery,
  EntrySearchQuery,
  MemoryHit,
  MemoryListQuery,
  MemorySearchQuery,
  NearestQuery,
  NewToken,
  ProjectSummary,
  SessionListQuery,
  StoredEmbedding,
  TaskHit,
  TaskListQuery,
  TaskSearchQuery,
  ThreadListQuery,
  ThreadStats,
  ThreadSummary,
  TrashItem,
  TrashType,
  VectorHit,
} from "./store-types";

/**
 * The storage port's roles: what a consumer may read or write, one group of rows each,
 * mirroring the adapters' queries (packages/store/src/shared/*-queries.ts). A consumer
 * declares the roles it uses (`store: TaskReads & MemoryReads`). User roles are written as a
 * consumer sees them, bound to one user (store-port.ts: `store.forUser(id)`): no method takes a
 * user id, so a query of another user's rows cannot be written. System roles work across users
 * (jobs, sweeps, token lookup) through `store.system`.
 */

/** Reads of threads and projects, for one user. */
export interface ThreadReads {
  listThreads(query: ThreadListQuery): Promise<{ threads: ThreadSummary[]; total: number }>;
  /** Threads with this id; in one project when `projectId` is given, else in any. Deleted ones excluded. */
  findThreads(threadId: string, projectId?: string): Promise<Thread[]>;
  /** The user's projects, most recently active first, with their counts; personal tasks counted apart. */
  listProjects(query: {
    limit: number;
    offset: number;
  }): Promise<{ projects: ProjectSummary[]; total: number; personalTasks: number }>;
}

/** Writes of threads and projects, for one user (inside a transaction). */
export interface ThreadWrites {
  ensureProject(project: { id: string; name: string; createdAt: string }): Promise<void>;
  /** Creates the thread, or restores it when deleted; `seq` is used only when something changed. */
  ensureThread(thread: Thread, seq: () => Promise<number>): Promise<EnsureThreadOutcome>;
  /** Soft-deletes a thread; false when there was none. */
  deleteThread(key: { projectId: string; threadId: string; at: string; seq: number }): Promise<boolean>;
  /** Replaces a thread with the server's version (client mirror only). */
  putThread(thread: Thread, seq: number): Promise<void>;
  /** Takes a thread out of the trash; false when it was not there. */
  restoreThread(key: { projectId: string; threadId: string; at: string; seq: number }): Promise<boolean>;
}

/** Reads of entries and their full-text search, for one user. */
export interface EntryReads {
  listEntries(query: EntryListQuery): Promise<{ entries: Entry[]; total: number }>;
  threadStats(projectId: string, threadId: string): Promise<ThreadStats>;
  searchEntries(query: EntrySearchQuery): Promise<SearchHit[]>;
  /** An entry by id (deleted ones too). */
  getEntry(id: string): Promise<Entry | null>;
  /** Entries recorded in a session, oldest first (deleted ones excluded). */
  sessionEntries(sessionId: string, limit: number): Promise<Entry[]>;
  /** The live entries of the same thread just before and after one (the answer often sits a turn away). */
  entryNeighbours(
    entry: { projectId: string; threadId: string; createdAt: string; id: string },
    count: number,
  ): Promise<{ before: Entry[]; after: Entry[] }>;
  /** How many live entries of its thread come before a live entry (a permalink's page); null when there is none. */
  entryPosition(where: { projectId: string; threadId: string; entryId: string }): Promise<number | null>;
  /** The live entries of a thread (any project) whose id starts with `prefix`, at most `limit` (old short references). */
  entriesByIdPrefix(threadId: string, prefix: string, limit: number): Promise<Entry[]>;
  /** Which of these plain words occur in any of the user's live entries or memories (the oracle's check). */
  presentTerms(terms: string[]): Promise<Set<string>>;
}

/** Writes of entries and their full-text search, for one user (inside a transaction). */
export interface EntryWrites {
  /**
   * Inserts unless (user, id) exists. `changedBy` is the device whose
   * mutation wrote it (a pull by that device leaves it out). An adapter may defer the write to its
   * next statement in the transaction (PostgreSQL batches them); reads in the
   * same transaction still see it.
   */
  insertEntry(entry: Entry, seq: number, changedBy?: string | null): Promise<void>;
  /** Upserts an entry as the server sent it (the client mirror; a deleted one keeps its deletedAt). */
  putEntry(entry: Entry, seq: number): Promise<void>;
  /** Soft-deletes or restores an entry; false when there was nothing to change. */
  setEntryDeleted(change: {
    id: string;
    deletedAt: string | null;
    seq: number;
    changedBy?: string | null;
  }): Promise<boolean>;
}

/** Reads of memories, for one user. */
export interface MemoryReads {
  getMemory(id: string): Promise<Memory | null>;
  listMemories(query: MemoryListQuery): Promise<{ memories: Memory[]; total: number }>;
  searchMemories(query: MemorySearchQuery): Promise<MemoryHit[]>;
}

/** Writes of memories, for one user (inside a transaction). */
export interface MemoryWrites {
  /** Writes this version of a memory (insert or replace); the caller decided it wins. */
  putMemory(memory: Memory, seq: number, changedBy?: string | null): Promise<void>;
}

/** Reads of tasks, for one user. */
export interface TaskReads {
  getTask(id: string): Promise<Task | null>;
  listTasks(query: TaskListQuery): Promise<{ tasks: Task[]; total: number }>;
  searchTasks(query: TaskSearchQuery): Promise<TaskHit[]>;
}

/** Writes of tasks, for one user (inside a transaction). */
export interface TaskWrites {
  /** Writes this version of a task (insert or replace); the caller decided it wins. */
  putTask(task: Task, seq: number, changedBy?: string | null): Promise<void>;
}

/** Reads of the chat agent's conversations (server only; the CLI's mirror has the tables but never fills them), for one user. */
export interface ConversationReads {
  getConversation(id: string): Promise<Conversation | null>;
  findConversationByOrigin(clientMessageId: string): Promise<Conversation | null>;
  listConversations(query: {
    limit: number;
    offset: number;
  }): Promise<{ conversations: ConversationSummary[]; total: number }>;
  findMessageByClientId(conversationId: string, clientMessageId: string): Promise<ChatMessage | null>;
  /** The newest `limit` messages (before seq `beforeSeq` when given), oldest first. */
  recentMessages(conversationId: string, limit: number, beforeSeq?: number): Promise<ChatMessage[]>;
  messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<ChatMessage[]>;
  listMessages(
    conversationId: string,
    query: { limit: number; offset: number },
  ): Promise<{ messages: ChatMessage[]; total: number }>;
  getToolInvocation(toolCallId: string): Promise<ToolInvocation | null>;
  getConfirmation(id: string): Promise<PendingConfirmation | null>;
}

/** Writes of the chat agent's conversations (server only; the CLI's mirror has the tables but never fills them), for one user (inside a transaction). */
export interface ConversationWrites {
  /** False when `originClientMessageId` already started another conversation of this user. */
  createConversation(conversation: Conversation, originClientMessageId: string | null): Promise<boolean>;
  deleteConversation(id: string): Promise<boolean>;
  /** Appends at the next seqs; a message whose client message id is taken is skipped (not returned). */
  appendMessages(conversationId: string, messages: NewChatMessage[], at: string): Promise<ChatMessage[]>;
  setMessageStatus(
    messageId: string,
    change: { status: ChatMessage["status"]; error: string | null; onlyIf?: ChatMessage["status"][] | undefined },
  ): Promise<boolean>;
  putToolInvocation(invocation: ToolInvocation): Promise<void>;
  putConfirmation(confirmation: PendingConfirmation): Promise<void>;
  /** False when it was used already: a confirmation runs at most once. */
  useConfirmation(id: string, at: string): Promise<boolean>;
}

/** Reads of work sessions, for one user. */
export interface SessionReads {
  getSession(id: string): Promise<Session | null>;
  /** Newest first. */
  listSessions(query: SessionListQuery): Promise<{ sessions: Session[]; total: number }>;
}

/** Writes of work sessions, for one user (inside a transaction). */
export interface SessionWrites {
  /** Writes a session (insert or replace). */
  putSession(session: Session, seq: number): Promise<void>;
  /** Moves a session's last activity forward (not a synced change). */
  touchSession(sessionId: string, at: string): Promise<void>;
}

/** Reads of the 30-day trash, for one user. */
export interface TrashReads {
  listTrash(query: {
    projectId?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<{ items: TrashItem[]; total: number }>;
}

/** Writes of the 30-day trash, for one user (inside a transaction). */
export interface TrashWrites {
  /** Deletes for good a row that is in the trash; false when it is not. */
  purgeTrashItem(type: TrashType, id: string, projectId?: string): Promise<boolean>;
}

/** Reads of destruction alerts and the audit log, for one user. */
export interface SafetyReads {
  listAudit(query: {
    since?: string | undefined;
    action?: string | undefined;
    /** The events of one row (a memory's versions and conflicts). */
    target?: { type: string; id: string } | undefined;
    limit: number;
    offset: number;
  }): Promise<{ events: AuditEvent[]; total: number }>;
  /** Deletes recorded in the audit log since `since`: how many, and up to 100 of their target ids. */
  recentDeletes(since: string): Promise<{ count: number; ids: string[] }>;
  listAlerts(query: {
    open?: boolean | undefined;
    limit: number;
    offset: number;
  }): Promise<{ alerts: Alert[]; total: number }>;
}

/** Writes of destruction alerts and the audit log, for one user (inside a transaction). */
export interface SafetyWrites {
  recordAudit(event: AuditEvent): Promise<void>;
  /** Inserts or updates a destruction alert. */
  putAlert(alert: Alert): Promise<void>;
  ackAlert(id: string, at: string, by: string): Promise<boolean>;
  /** Opens an acknowledged alert again (it turned critical since); false when it was open. */
  reopenAlert(id: string): Promise<boolean>;
}

/** Reads of the change feed: device seqs, pull, digest and the background consumers' cursors, for one user. */
export interface FeedReads {
  getDeviceSeq(deviceId: string): Promise<number>;
  /** The reasons of those of `seqs` this device had rejected (a replay answers them the same way). */
  findRejections(deviceId: string, seqs: number[]): Promise<{ seq: number; reason: string }[]>;
  /**
   * Changes with cursor < seq <= `upTo` (no bound when absent), oldest first,
   * at most `limit`; without the entries last written by `excludeDevice`.
   */
  changesSince(
    cursor: number,
    limit: number,
    options?: { excludeDevice?: string | undefined; upTo?: number | undefined },
  ): Promise<Change[]>;
  /** The user's last committed change seq (every change so far has seq <= it). */
  changeHorizon(): Promise<number>;
  /** Counts and hashes per synced type, over the same rows a recovery restores. */
  digest(query: { projectId?: string | undefined; since?: string | undefined }): Promise<Digest>;
  /** Per synced type, how many rows the digest with the same filter covers (without hashing them). */
  countRows(query: { projectId?: string | undefined; since?: string | undefined }): Promise<Record<string, number>>;
  /** How far a background consumer (embeddings, webhooks) has read a user's change feed. */
  feedCursor(consumer: string): Promise<number>;
  /** The user's devices as the server sees them (the web UI's sync page), most recently seen first. */
  listDevices(): Promise<DeviceStatus[]>;
}

/** Writes of the change feed: device seqs, pull, digest and the background consumers' cursors, for one user (inside a transaction). */
export interface FeedWrites {
  /** The next change sequence number of this user; allocated inside the transaction. */
  nextSeq(): Promise<number>;
  setDeviceSeq(deviceId: string, seq: number, at: string): Promise<void>;
  recordRejection(deviceId: string, rejection: { seq: number; reason: string; at: string }): Promise<void>;
  setFeedCursor(consumer: string, seq: number): Promise<void>;
}

/** Reads of vectors for hybrid search, for one user. */
export interface EmbeddingReads {
  countEmbeddings(model: string): Promise<number>;
  nearestRows(query: NearestQuery): Promise<VectorHit[]>;
}

/** Writes of vectors for hybrid search, for one user (inside a transaction). */
export interface EmbeddingWrites {
  putEmbeddings(rows: StoredEmbedding[], at: string): Promise<void>;
  deleteEmbeddings(refs: EmbeddingRef[]): Promise<void>;
}

/** Reads of the user's webhook endpoints, deliveries and inbound sources, for one user. */
export interface WebhookReads {
  listWebhookEndpoints(): Promise<WebhookEndpointWithSecret[]>;
  getWebhookEndpoint(id: string): Promise<WebhookEndpointWithSecret | null>;
  getDelivery(id: string): Promise<(WebhookDelivery & { body: string }) | null>;
  listDeliveries(query: {
    endpointId?: string | undefined;
    status?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<{ deliveries: WebhookDelivery[]; total: number }>;
  listWebhookSources(): Promise<WebhookSource[]>;
}

/** Writes of the user's webhook endpoints, deliveries and inbound sources, for one user (inside a transaction). */
export interface WebhookWrites {
  putWebhookEndpoint(endpoint: WebhookEndpointWithSecret): Promise<void>;
  deleteWebhookEndpoint(id: string): Promise<boolean>;
  /** False when the endpoint already has a delivery of this event. */
  insertDelivery(delivery: NewDelivery): Promise<boolean>;
  recordDeliveryAttempt(id: string, attempt: DeliveryAttempt): Promise<void>;
  deleteWebhookSource(id: string): Promise<boolean>;
}

/** Reads of the user's own account and tokens, for one user. */
export interface OwnAccountReads {
  getUser(): Promise<User | null>;
  listTokens(): Promise<ApiToken[]>;
}

/** Writes of the user's own account and tokens, for one user (inside a transaction). */
export interface OwnAccountWrites {
  revokeToken(tokenId: string, at: string): Promise<boolean>;
}

/** System reads of users and tokens across the server (authentication, the administrator). */
export interface AccountReads {
  findUserByName(name: string): Promise<User | null>;
  countUsers(): Promise<number>;
  /** System: every user by name, with their live tokens' count (`cairn admin user list`). */
  listUsers(query: {
    limit: number;
    offset: number;
  }): Promise<{ users: (User & { activeTokens: number })[]; total: number }>;
  findTokenByHash(hash: string): Promise<{ token: ApiToken; user: User } | null>;
}

/** System writes of users and tokens across the server (authentication, the administrator) (inside a transaction). */
export interface AccountWrites {
  createUser(user: User): Promise<void>;
  createToken(token: NewToken): Promise<void>;
  touchToken(tokenId: string, at: string): Promise<void>;
}

/** System reads of the durable job table. */
export interface JobReads {
  getJob(id: string): Promise<Job | null>;
  listJobs(query: JobListQuery): Promise<{ jobs: Job[]; total: number }>;
  countJobs(): Promise<JobCount[]>;
}

/** System writes of the durable job table (inside a transaction). */
export interface JobWrites {
  /** Adds a job; false when a queued or running job already holds its dedupe key. */
  enqueueJob(job: NewJob): Promise<boolean>;
  claimJobs(claim: JobClaim): Promise<Job[]>;
  finishJob(id: string, owner: string, outcome: JobOutcome, at: string): Promise<boolean>;
  extendJobLease(id: string, owner: string, until: string): Promise<boolean>;
  purgeDoneJobs(before: string): Promise<number>;
  /** Queues a dead job again with fresh attempts; false when it is not dead or its dedupe key is held. */
  retryDeadJob(id: string, at: string): Promise<boolean>;
}

/** System reads of work over every user: idle sessions, the trash's expiry, feeds behind, inbound sources and replays. */
export interface SweepReads {
  /** System job: sessions of every user with no activity since `before` and not ended. */
  findIdleSessions(before: string, limit: number): Promise<{ userId: string; session: Session }[]>;
  usersBehindFeed(consumer: string, limit: number): Promise<string[]>;
  /** Whether any user has a conversation with this id: only to answer 403 rather than 404. */
  conversationExists(id: string): Promise<boolean>;
  /** Across users: an inbound request names its source, and its signature proves it. */
  findWebhookSource(id: string): Promise<WebhookSourceWithSecret | null>;
}

/** System writes of work over every user: idle sessions, the trash's expiry, feeds behind, inbound sources and replays (inside a transaction). */
export interface SweepWrites {
  /** System job: deletes for good every row of every user in the trash since before `before`. */
  purgeTrashBefore(before: string): Promise<number>;
  putWebhookSource(source: WebhookSourceWithSecret): Promise<void>;
  /** False when this signature was seen already (a replay); forgets those seen before `forgetBefore`. */
  recordIngestSignature(sourceId: string, signature: string, at: string, forgetBefore: string): Promise<boolean>;
}
