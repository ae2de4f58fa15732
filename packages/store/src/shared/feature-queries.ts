import type { Entry, Memory, Session } from "@cairn/core/entities";
import type { StoreMethods } from "@cairn/core/store/store-port";
import type {
  Alert,
  AuditEvent,
  Digest,
  MemoryListQuery,
  SessionListQuery,
  TrashItem,
  TrashType,
} from "@cairn/core/store/store-types";
import type { adapterOwnMethods } from "../compose-methods";
import * as accounts from "./account-queries";
import * as activity from "./activity-queries";
import * as chat from "./chat-queries";
import { computeDigest, countRows } from "./digest";
import type { VectorDialect } from "./embedding-queries";
import * as embeddings from "./embedding-queries";
import * as feeds from "./feed-queries";
import * as jobs from "./job-queries";
import * as memories from "./memory-queries";
import * as projects from "./project-queries";
import * as sessions from "./session-queries";
import type { SqlExec } from "./sql-exec";
import * as tasks from "./task-queries";
import * as trash from "./trash-queries";
import * as webhooks from "./webhook-queries";

/**
 * The Store methods written once in portable SQL: every method of the port but those each
 * adapter writes itself (compose-methods.ts: `adapterOwnMethods`).
 */
export type FeatureQueries = Omit<StoreMethods, (typeof adapterOwnMethods)[number]>;

/** What the shared queries need to know of the database they run on. */
export interface Dialect extends VectorDialect {
  /** Appended to the claim's inner SELECT: FOR UPDATE SKIP LOCKED on PostgreSQL, nothing on SQLite. */
  lockClause: string;
}

/**
 * The Store methods written once in portable SQL (see sql-exec.ts); each
 * adapter mixes them in over its own SqlExec. `before` runs ahead of every
 * call (PostgreSQL flushes its buffered entries there).
 */
export function featureQueries(sql: SqlExec, dialect: Dialect): FeatureQueries {
  return {
    getUser: (userId) => accounts.getUser(sql, userId),
    findUserByName: (name) => accounts.findUserByName(sql, name),
    countUsers: () => accounts.countUsers(sql),
    listUsers: (query) => accounts.listUsers(sql, query),
    listProjects: (userId, query) => projects.listProjects(sql, userId, query),
    findTokenByHash: (hash) => accounts.findTokenByHash(sql, hash),
    listTokens: (userId) => accounts.listTokens(sql, userId),
    createUser: (user) => accounts.createUser(sql, user),
    createToken: (token) => accounts.createToken(sql, token),
    touchToken: (tokenId, at) => accounts.touchToken(sql, tokenId, at),
    revokeToken: (userId, tokenId, at) => accounts.revokeToken(sql, userId, tokenId, at),
    getJob: (id) => jobs.getJob(sql, id),
    listJobs: (query) => jobs.listJobs(sql, query),
    countJobs: () => jobs.countJobs(sql),
    enqueueJob: (job) => jobs.enqueueJob(sql, job),
    claimJobs: (claim) => jobs.claimJobs(sql, claim, dialect.lockClause),
    finishJob: (id, owner, outcome, at) => jobs.finishJob(sql, id, owner, outcome, at),
    extendJobLease: (id, owner, until) => jobs.extendJobLease(sql, id, owner, until),
    purgeDoneJobs: (before) => jobs.purgeDoneJobs(sql, before),
    retryDeadJob: (id, at) => jobs.retryDeadJob(sql, id, at),
    feedCursor: (userId, consumer) => feeds.feedCursor(sql, userId, consumer),
    listDevices: (userId) => feeds.listDevices(sql, userId),
    setFeedCursor: (userId, consumer, seq) => feeds.setFeedCursor(sql, userId, consumer, seq),
    usersBehindFeed: (consumer, limit) => feeds.usersBehindFeed(sql, consumer, limit),
    countEmbeddings: (userId, model) => embeddings.countEmbeddings(sql, userId, model),
    putEmbeddings: (userId, rows, at) => embeddings.putEmbeddings(sql, dialect, userId, rows, at),
    deleteEmbeddings: (userId, refs) => embeddings.deleteEmbeddings(sql, userId, refs),
    nearestRows: (userId, query) => embeddings.nearestRows(sql, dialect, userId, query),
    listWebhookEndpoints: (userId) => webhooks.listWebhookEndpoints(sql, userId),
    getWebhookEndpoint: (userId, id) => webhooks.getWebhookEndpoint(sql, userId, id),
    getDelivery: (userId, id) => webhooks.getDelivery(sql, userId, id),
    listDeliveries: (userId, query) => webhooks.listDeliveries(sql, userId, query),
    findWebhookSource: (id) => webhooks.findWebhookSource(sql, id),
    listWebhookSources: (userId) => webhooks.listWebhookSources(sql, userId),
    putWebhookEndpoint: (userId, endpoint) => webhooks.putWebhookEndpoint(sql, userId, endpoint),
    deleteWebhookEndpoint: (userId, id) => webhooks.deleteWebhookEndpoint(sql, userId, id),
    insertDelivery: (userId, delivery) => webhooks.insertDelivery(sql, userId, delivery),
    recordDeliveryAttempt: (userId, id, attempt) => webhooks.recordDeliveryAttempt(sql, userId, id, attempt),
    putWebhookSource: (source) => webhooks.putWebhookSource(sql, source),
    deleteWebhookSource: (userId, id) => webhooks.deleteWebhookSource(sql, userId, id),
    recordIngestSignature: (sourceId, signature, at, forgetBefore) =>
      webhooks.recordIngestSignature(sql, sourceId, signature, at, forgetBefore),
    getTask: (userId: string, id: string) => tasks.getTask(sql, userId, id),
    listTasks: (userId, query) => tasks.listTasks(sql, userId, query),
    putTask: (userId, task, seq, changedBy) => tasks.putTask(sql, userId, task, seq, changedBy ?? null),
    getConversation: (userId, id) => chat.getConversation(sql, userId, id),
    conversationExists: (id) => chat.conversationExists(sql, id),
    findConversationByOrigin: (userId, clientMessageId) => chat.findConversationByOrigin(sql, userId, clientMessageId),
    listConversations: (userId, query) => chat.listConversations(sql, userId, query),
    findMessageByClientId: (userId, conversationId, clientMessageId) =>
      chat.findMessageByClientId(sql, userId, conversationId, clientMessageId),
    recentMessages: (userId, conversationId, limit, beforeSeq) =>
      chat.recentMessages(sql, userId, conversationId, limit, beforeSeq),
    messagesAfter: (userId, conversationId, afterSeq, limit) =>
      chat.messagesAfter(sql, userId, conversationId, afterSeq, limit),
    listMessages: (userId, conversationId, query) => chat.listMessages(sql, userId, conversationId, query),
    getToolInvocation: (userId, toolCallId) => chat.getToolInvocation(sql, userId, toolCallId),
    getConfirmation: (userId, id) => chat.getConfirmation(sql, userId, id),
    createConversation: (userId, conversation, origin) => chat.createConversation(sql, userId, conversation, origin),
    deleteConversation: (userId, id) => chat.deleteConversation(sql, userId, id),
    appendMessages: (userId, conversationId, messages, at) =>
      chat.appendMessages(sql, userId, conversationId, messages, at),
    setMessageStatus: (userId, messageId, change) => chat.setMessageStatus(sql, userId, messageId, change),
    putToolInvocation: (userId, invocation) => chat.putToolInvocation(sql, userId, invocation),
    putConfirmation: (userId, confirmation) => chat.putConfirmation(sql, userId, confirmation),
    useConfirmation: (userId, id, at) => chat.useConfirmation(sql, userId, id, at),
    getMemory: (userId: string, id: string): Promise<Memory | null> => memories.getMemory(sql, userId, id),
    listMemories: (userId: string, query: MemoryListQuery) => memories.listMemories(sql, userId, query),
    getSession: (userId: string, id: string): Promise<Session | null> => sessions.getSession(sql, userId, id),
    listSessions: (userId: string, query: SessionListQuery) => sessions.listSessions(sql, userId, query),
    getEntry: (userId: string, id: string): Promise<Entry | null> => trash.getEntry(sql, userId, id),
    sessionEntries: (userId: string, sessionId: string, limit: number) =>
      trash.sessionEntries(sql, userId, sessionId, limit),
    entryNeighbours: (userId, entry, count) => trash.entryNeighbours(sql, userId, entry, count),
    entryPosition: (userId, where) => trash.entryPosition(sql, userId, where),
    entriesByIdPrefix: (userId, threadId, prefix, limit) =>
      trash.entriesByIdPrefix(sql, userId, threadId, prefix, limit),
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
    reopenAlert: (userId: string, id: string) => activity.reopenAlert(sql, userId, id),
    purgeTrashItem: (userId: string, type: TrashType, id: string, projectId?: string) =>
      trash.purgeTrashItem(sql, userId, type, id, projectId),
    purgeTrashBefore: (before: string) => trash.purgeTrashBefore(sql, before),
  };
}
