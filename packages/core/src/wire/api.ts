import * as z from "zod";
import { loginInput } from "../accounts/web-session";
import { idSchema } from "../entities";
import { refInput } from "../operations/citation-ref";
import { deleteThreadInput } from "../operations/delete-thread";
import { getThreadInput } from "../operations/get-thread";
import { listJobsInput } from "../operations/jobs";
import { listThreadsInput } from "../operations/list-threads";
import { memoryListInput, memorySearchInput, rememberInput, updateMemoryInput } from "../operations/memories";
import { askInput } from "../operations/oracle-sources";
import { pagingSchema } from "../operations/paging";
import { exportInput } from "../operations/portability";
import { feedEventsInput, recentChangesInput } from "../operations/recent-changes";
import { alertListInput, auditInput, digestInput, recoveryInput } from "../operations/safety";
import { searchInput } from "../operations/search";
import { searchEntriesInput } from "../operations/search-entries";
import { sessionListInput, startSessionInput } from "../operations/sessions";
import { syncThreadInput } from "../operations/sync-thread";
import { addTaskInput, taskListInput, updateTaskInput } from "../operations/tasks";
import { threadStatusInput } from "../operations/thread-status";
import { trashItemInput, trashListInput } from "../operations/trash";
import { addSourceInput, addWebhookInput, listDeliveriesInput } from "../operations/webhooks";
import { importInput } from "../portability/import-rows";
import { chatInput } from "./chat";
import { endpoint } from "./endpoint";
import { meResponseSchema } from "./me";
import { changeSchema, pullQuerySchema, pullResponseSchema } from "./pull";
import { pushRequestSchema, pushResponseSchema } from "./push";
import { responses } from "./responses";

const byId = z.object({ id: z.string().min(1).max(200) });
const none = {};

/**
 * Every endpoint of Cairn's HTTP API (SPEC section 4), in one table: the server registers its
 * routes from it and every client (the CLI, the web UI) calls through it, so a path, a parameter
 * or an answer's shape is written once. `/mcp` speaks JSON-RPC (the MCP SDK's) and is not here.
 */
export const api = {
  health: endpoint({ method: "GET", path: "/healthz", input: none, output: responses.health, public: true }),
  ready: endpoint({ method: "GET", path: "/readyz", input: none, output: responses.ready, public: true }),
  me: endpoint({ method: "GET", path: "/api/me", input: none, output: meResponseSchema }),
  // The web UI's login: an API token in, a session cookie out (public: the token is in the body).
  login: endpoint({
    method: "POST",
    path: "/api/session",
    input: { body: loginInput },
    output: responses.login,
    public: true,
  }),
  logout: endpoint({ method: "DELETE", path: "/api/session", input: none, output: responses.logout }),
  projects: endpoint({
    method: "GET",
    path: "/api/projects",
    input: { query: pagingSchema },
    output: responses.projects,
  }),

  // Threads and entries
  syncThread: endpoint({
    method: "POST",
    path: "/api/threads/sync",
    input: { body: syncThreadInput },
    output: responses.threadSynced,
  }),
  listThreads: endpoint({
    method: "GET",
    path: "/api/threads",
    input: { query: listThreadsInput },
    output: responses.threads,
  }),
  searchEntries: endpoint({
    method: "GET",
    path: "/api/threads/search",
    input: { query: searchEntriesInput },
    output: responses.entryHits,
  }),
  getThread: endpoint({
    method: "GET",
    path: "/api/threads/:id",
    input: { params: byId, query: getThreadInput.omit({ thread: true }) },
    output: responses.thread,
  }),
  threadStatus: endpoint({
    method: "GET",
    path: "/api/threads/:id/status",
    input: { params: byId, query: threadStatusInput.omit({ thread: true }) },
    output: responses.threadStatus,
  }),
  deleteThread: endpoint({
    method: "DELETE",
    path: "/api/threads/:id",
    input: { params: byId, query: deleteThreadInput.omit({ thread: true }) },
    output: responses.threadDeleted,
  }),
  deleteEntry: endpoint({
    method: "DELETE",
    path: "/api/entries/:id",
    input: { params: byId },
    output: responses.entryDeleted,
  }),

  // Sync and recovery
  push: endpoint({
    method: "POST",
    path: "/api/sync/push",
    input: { body: pushRequestSchema },
    output: pushResponseSchema,
  }),
  pull: endpoint({
    method: "GET",
    path: "/api/sync/pull",
    input: { query: pullQuerySchema },
    output: pullResponseSchema,
  }),
  // The web UI's timeline: the change feed newest first, and live (server-sent events).
  recentChanges: endpoint({
    method: "GET",
    path: "/api/feed",
    input: { query: recentChangesInput },
    output: responses.recentChanges,
  }),
  feedEvents: endpoint({
    method: "GET",
    path: "/api/feed/events",
    input: { query: feedEventsInput },
    output: changeSchema,
    kind: "events",
  }),
  devices: endpoint({ method: "GET", path: "/api/devices", input: none, output: responses.devices }),
  digest: endpoint({
    method: "GET",
    path: "/api/sync/digest",
    input: { query: digestInput },
    output: responses.digest,
  }),
  recoveryBootstrap: endpoint({
    method: "POST",
    path: "/api/recovery/bootstrap",
    input: { body: recoveryInput },
    output: responses.recovery,
  }),

  search: endpoint({ method: "GET", path: "/api/search", input: { query: searchInput }, output: responses.search }),
  resolveRef: endpoint({ method: "GET", path: "/api/refs", input: { query: refInput }, output: responses.resolvedRef }),

  // Memories
  listMemories: endpoint({
    method: "GET",
    path: "/api/memories",
    input: { query: memoryListInput },
    output: responses.memories,
  }),
  searchMemories: endpoint({
    method: "GET",
    path: "/api/memories/search",
    input: { query: memorySearchInput },
    output: responses.memoryHits,
  }),
  remember: endpoint({
    method: "POST",
    path: "/api/memories",
    input: { body: rememberInput },
    output: responses.memory,
    status: 201,
  }),
  getMemory: endpoint({ method: "GET", path: "/api/memories/:id", input: { params: byId }, output: responses.memory }),
  updateMemory: endpoint({
    method: "PATCH",
    path: "/api/memories/:id",
    input: { params: byId, body: updateMemoryInput.omit({ id: true }) },
    output: responses.memory,
  }),
  forgetMemory: endpoint({
    method: "DELETE",
    path: "/api/memories/:id",
    input: { params: byId },
    output: responses.memory,
  }),
  memoryHistory: endpoint({
    method: "GET",
    path: "/api/memories/:id/history",
    input: { params: byId, query: pagingSchema },
    output: responses.memoryHistory,
  }),
  restoreMemory: endpoint({
    method: "POST",
    path: "/api/memories/:id/restore",
    input: { params: byId },
    output: responses.memory,
  }),

  // Sessions
  listSessions: endpoint({
    method: "GET",
    path: "/api/sessions",
    input: { query: sessionListInput },
    output: responses.sessions,
  }),
  startSession: endpoint({
    method: "POST",
    path: "/api/sessions",
    input: { body: startSessionInput },
    output: responses.session,
    status: 201,
  }),
  getSession: endpoint({
    method: "GET",
    path: "/api/sessions/:id",
    input: { params: byId },
    output: responses.sessionRecord,
  }),
  endSession: endpoint({
    method: "POST",
    path: "/api/sessions/:id/end",
    input: { params: byId, body: z.object({ summary: z.string().max(10_000).nullable().optional() }) },
    output: responses.session,
  }),

  // Tasks
  listTasks: endpoint({ method: "GET", path: "/api/tasks", input: { query: taskListInput }, output: responses.tasks }),
  addTask: endpoint({
    method: "POST",
    path: "/api/tasks",
    input: { body: addTaskInput },
    output: responses.task,
    status: 201,
  }),
  getTask: endpoint({ method: "GET", path: "/api/tasks/:id", input: { params: byId }, output: responses.task }),
  updateTask: endpoint({
    method: "PATCH",
    path: "/api/tasks/:id",
    input: { params: byId, body: updateTaskInput.omit({ id: true }) },
    output: responses.task,
  }),
  completeTask: endpoint({
    method: "POST",
    path: "/api/tasks/:id/complete",
    input: { params: byId },
    output: responses.task,
  }),
  deleteTask: endpoint({ method: "DELETE", path: "/api/tasks/:id", input: { params: byId }, output: responses.task }),
  restoreTask: endpoint({
    method: "POST",
    path: "/api/tasks/:id/restore",
    input: { params: byId },
    output: responses.task,
  }),

  // Safety: alerts, audit, trash
  listAlerts: endpoint({
    method: "GET",
    path: "/api/alerts",
    input: { query: alertListInput },
    output: responses.alerts,
  }),
  ackAlert: endpoint({
    method: "POST",
    path: "/api/alerts/:id/ack",
    input: { params: byId },
    output: responses.alertAcknowledged,
  }),
  /** Every row of the alert's burst still in the trash, restored in one call (safe to repeat). */
  restoreBurst: endpoint({
    method: "POST",
    path: "/api/alerts/:id/restore",
    input: { params: byId },
    output: responses.burstRestored,
  }),
  audit: endpoint({ method: "GET", path: "/api/audit", input: { query: auditInput }, output: responses.audit }),
  listTrash: endpoint({ method: "GET", path: "/api/trash", input: { query: trashListInput }, output: responses.trash }),
  restoreFromTrash: endpoint({
    method: "POST",
    path: "/api/trash/restore",
    input: { body: trashItemInput },
    output: responses.trashRestored,
  }),
  purgeFromTrash: endpoint({
    method: "POST",
    path: "/api/trash/purge",
    input: { body: trashItemInput },
    output: responses.trashPurged,
  }),

  // Administration (CAIRN_ADMIN_USERS): the server's background jobs, and a retry of a dead one
  adminJobs: endpoint({
    method: "GET",
    path: "/api/admin/jobs",
    input: { query: listJobsInput },
    output: responses.jobs,
  }),
  retryJob: endpoint({
    method: "POST",
    path: "/api/admin/jobs/:id/retry",
    input: { params: z.object({ id: z.string().min(1).max(100) }) },
    output: responses.job,
  }),

  // Webhooks
  listWebhooks: endpoint({ method: "GET", path: "/api/webhooks", input: none, output: responses.webhooks }),
  addWebhook: endpoint({
    method: "POST",
    path: "/api/webhooks",
    input: { body: addWebhookInput },
    output: responses.webhookCreated,
    status: 201,
  }),
  removeWebhook: endpoint({
    method: "DELETE",
    path: "/api/webhooks/:id",
    input: { params: byId },
    output: responses.webhookRemoved,
  }),
  webhookDeliveries: endpoint({
    method: "GET",
    path: "/api/webhooks/deliveries",
    input: { query: listDeliveriesInput },
    output: responses.deliveries,
  }),
  addWebhookSource: endpoint({
    method: "POST",
    path: "/api/webhooks/sources",
    input: { body: addSourceInput },
    output: responses.sourceCreated,
    status: 201,
  }),
  /** Signed by its source (headers Cairn-Source and Cairn-Signature), over the body's bytes: no bearer token. */
  ingest: endpoint({
    method: "POST",
    path: "/api/webhooks/ingest",
    input: {},
    output: responses.ingested,
    status: 201,
    public: true,
    kind: "raw-body",
  }),

  // Export and import
  exportRows: endpoint({
    method: "GET",
    path: "/api/export",
    input: { query: exportInput },
    output: responses.exportLines,
    kind: "ndjson",
  }),
  importRows: endpoint({
    method: "POST",
    path: "/api/import",
    input: { body: importInput },
    output: responses.imported,
  }),

  // The chat agent and its conversations
  chat: endpoint({
    method: "POST",
    path: "/api/chat",
    input: { body: chatInput },
    output: responses.chatAnswer,
    kind: "json-or-events",
  }),
  chatAs: endpoint({
    method: "POST",
    path: "/api/:userId/chat",
    input: { params: z.object({ userId: idSchema }), body: chatInput },
    output: responses.chatAnswer,
    kind: "json-or-events",
  }),
  listConversations: endpoint({
    method: "GET",
    path: "/api/conversations",
    input: { query: pagingSchema },
    output: responses.conversations,
  }),
  getConversation: endpoint({
    method: "GET",
    path: "/api/conversations/:id",
    input: { params: byId },
    output: responses.conversation,
  }),
  conversationMessages: endpoint({
    method: "GET",
    path: "/api/conversations/:id/messages",
    input: { params: byId, query: pagingSchema },
    output: responses.messages,
  }),
  deleteConversation: endpoint({
    method: "DELETE",
    path: "/api/conversations/:id",
    input: { params: byId },
    output: responses.conversationDeleted,
  }),

  // The oracle
  ask: endpoint({
    method: "POST",
    path: "/api/oracle/ask",
    input: { body: askInput.extend({ stream: z.boolean().optional() }) },
    output: responses.oracleAnswer,
    kind: "json-or-events",
  }),
};

export type Api = typeof api;
