import * as z from "zod";
import { entrySchema, threadSchema } from "../entities";
import { memoryKindSchema, memorySchema, sessionSchema } from "../memory-entities";
import { taskSchema } from "../task-entities";
import { changeSchema } from "./pull";

/**
 * What the API answers, as schemas: the server's handlers must return these types, and clients
 * read the answers through them. Times are ISO strings; the rows are the entities' own schemas.
 */

const time = z.string();
const counted = <Shape extends z.ZodRawShape>(shape: Shape) => z.object({ ...shape, total: z.number().int() });

export const threadSummarySchema = threadSchema.extend({ entryCount: z.number().int(), lastEntryAt: time.nullable() });

export const projectSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: time,
  lastActivityAt: time,
  threads: z.number().int(),
  entries: z.number().int(),
  memories: z.number().int(),
  tasks: z.number().int(),
  sessions: z.number().int(),
});

export const entryHitSchema = z.object({
  type: z.literal("entry"),
  id: z.string(),
  threadId: z.string(),
  snippet: z.string(),
  score: z.number(),
  project: z.string(),
  session: z.string().nullable(),
  author: z.string(),
  createdAt: time,
});

export const memoryHitSchema = z.object({
  type: z.literal("memory"),
  id: z.string(),
  snippet: z.string(),
  score: z.number(),
  project: z.string(),
  session: z.string().nullable(),
  kind: memoryKindSchema,
  tags: z.array(z.string()),
  updatedAt: time,
});

/** One hit of unified search (`GET /api/search`). */
const neighbourEntrySchema = z.object({ id: z.string(), author: z.string(), content: z.string(), createdAt: time });

export const unifiedHitSchema = z.object({
  type: z.enum(["entry", "memory", "task"]),
  id: z.string(),
  snippet: z.string(),
  score: z.number(),
  project: z.string().nullable(),
  session: z.string().nullable(),
  createdAt: time,
  match: z.enum(["phrase", "all", "most", "any", "semantic"]),
  coverage: z.number().optional(),
  thread: z.string().optional(),
  author: z.string().optional(),
  kind: z.string().optional(),
  title: z.string().optional(),
  status: z.string().optional(),
  neighbours: z.object({ before: z.array(neighbourEntrySchema), after: z.array(neighbourEntrySchema) }).optional(),
});

export const searchResponseSchema = z.object({
  hits: z.array(unifiedHitSchema),
  nextCursor: z.number().int().nullable(),
  retrieval: z.enum(["bm25", "hybrid"]),
  warning: z.string().optional(),
  size: z.object({ chars: z.number().int(), tokens: z.number().int() }),
});

export const jobSchema = z.object({
  id: z.string(),
  kind: z.string(),
  userId: z.string().nullable(),
  dedupeKey: z.string().nullable(),
  partitionKey: z.string().nullable(),
  payload: z.record(z.string(), z.unknown()),
  status: z.enum(["queued", "running", "done", "dead"]),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  runAt: time,
  leaseOwner: z.string().nullable(),
  leaseUntil: time.nullable(),
  lastError: z.string().nullable(),
  createdAt: time,
  updatedAt: time,
});

export const alertSchema = z.object({
  id: z.string(),
  kind: z.literal("destruction"),
  severity: z.enum(["warning", "critical"]),
  windowStart: time,
  windowEnd: time,
  deleteCount: z.number().int(),
  blockedCount: z.number().int(),
  releasedCount: z.number().int(),
  deletedIds: z.array(z.string()),
  createdAt: time,
  updatedAt: time,
  acknowledgedAt: time.nullable(),
  acknowledgedBy: z.string().nullable(),
});

export const auditEventSchema = z.object({
  id: z.string(),
  at: time,
  deviceId: z.string().nullable(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

const trashTypeSchema = z.enum(["entry", "thread", "memory", "task"]);

export const trashItemSchema = z.object({
  type: trashTypeSchema,
  id: z.string(),
  projectId: z.string(),
  threadId: z.string().nullable(),
  deletedAt: time,
  preview: z.string(),
});

export const digestSchema = z.record(z.string(), z.object({ count: z.number().int(), hash: z.string() }));

const countsSchema = z.record(z.string(), z.number().int());

export const conversationSchema = z.object({ id: z.string(), title: z.string(), createdAt: time, updatedAt: time });

export const chatMessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  seq: z.number().int(),
  role: z.enum(["user", "assistant", "tool"]),
  content: z.string(),
  toolCalls: z.array(z.object({ id: z.string(), name: z.string(), input: z.unknown() })).nullable(),
  toolCallId: z.string().nullable(),
  clientMessageId: z.string().nullable(),
  status: z.enum(["pending", "complete", "error"]),
  error: z.string().nullable(),
  createdAt: time,
});

/** A chat turn's answer (SPEC section 5). */
export const chatAnswerSchema = z.object({
  conversation_id: z.string(),
  message_id: z.string(),
  assistant_message: z.string(),
  tool_calls: z.array(
    z.object({ tool_name: z.string(), parameters: z.unknown(), result: z.unknown(), success: z.boolean() }),
  ),
  created_at: time,
});

/** The oracle's answer: text with checked citations, or `abstained`. */
export const oracleAnswerSchema = z.object({
  answer: z.string(),
  citations: z.array(
    z.object({
      ref: z.string(),
      snippet: z.string(),
      score: z.number(),
      author: z.string().nullable(),
      createdAt: time,
    }),
  ),
  abstained: z.boolean(),
});

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  createdAt: time,
});

export const deliverySchema = z.object({
  id: z.string(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  status: z.enum(["pending", "delivered", "dead"]),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastDurationMs: z.number().nullable(),
  createdAt: time,
  updatedAt: time,
  deliveredAt: time.nullable(),
});

export const responses = {
  threads: counted({ threads: z.array(threadSummarySchema) }),
  thread: counted({ thread: threadSchema, entries: z.array(entrySchema), offset: z.number().int().optional() }),
  threadStatus: z.object({
    thread: z.string(),
    project: z.string(),
    status: z.enum(["active", "archived"]),
    entryCount: z.number().int(),
    lastEntry: z.object({ id: z.string(), createdAt: time }).nullable(),
  }),
  threadDeleted: z.object({ thread: z.string(), project: z.string(), deletedAt: time }),
  threadSynced: z.object({ project: z.string(), thread: z.string(), received: z.number().int() }),
  entryHits: z.object({ hits: z.array(entryHitSchema), nextCursor: z.number().int().nullable() }),
  projects: counted({ projects: z.array(projectSummarySchema), personalTasks: z.number().int() }),
  search: searchResponseSchema,
  memories: counted({ memories: z.array(memorySchema) }),
  memoryHits: z.object({ hits: z.array(memoryHitSchema) }),
  memory: z.object({ memory: memorySchema }),
  memoryHistory: counted({ memory: memorySchema, events: z.array(auditEventSchema) }),
  devices: z.object({
    devices: z.array(
      z.object({
        deviceId: z.string(),
        name: z.string().nullable(),
        lastAppliedSeq: z.number().int(),
        lastSeenAt: time.nullable(),
        rejected: z.number().int(),
        lastRejection: z.object({ reason: z.string(), at: time }).nullable(),
      }),
    ),
  }),
  recentChanges: z.object({
    changes: z.array(changeSchema),
    next: z.number().int().nullable(),
    horizon: z.number().int(),
  }),
  login: z.object({ user: z.object({ id: z.string(), name: z.string() }), expiresAt: time }),
  logout: z.object({ loggedOut: z.boolean() }),
  resolvedRef: z.union([
    z.object({ type: z.literal("entry"), ref: z.string(), entry: entrySchema }),
    z.object({ type: z.literal("memory"), ref: z.string(), memory: memorySchema }),
  ]),
  sessions: counted({ sessions: z.array(sessionSchema) }),
  session: z.object({ session: sessionSchema }),
  sessionRecord: z.object({ session: sessionSchema, entries: z.array(entrySchema), memories: z.array(memorySchema) }),
  tasks: counted({ tasks: z.array(taskSchema) }),
  task: z.object({ task: taskSchema }),
  alerts: counted({ alerts: z.array(alertSchema) }),
  alertAcknowledged: z.object({ id: z.string(), acknowledgedAt: time }),
  audit: counted({ entries: z.array(auditEventSchema) }),
  trash: counted({ items: z.array(trashItemSchema) }),
  trashRestored: z.object({ type: trashTypeSchema, id: z.string(), restored: z.literal(true) }),
  jobs: counted({
    summary: z.object({
      queued: z.number().int(),
      running: z.number().int(),
      done: z.number().int(),
      dead: z.number().int(),
      deadByKind: z.record(z.string(), z.number().int()),
      oldestDueSeconds: z.number().int(),
    }),
    jobs: z.array(jobSchema),
  }),
  job: z.object({ job: jobSchema }),
  burstRestored: z.object({
    alertId: z.string(),
    restored: z.array(z.object({ type: trashTypeSchema, id: z.string() })),
    missing: z.array(z.string()),
  }),
  trashPurged: z.object({ type: trashTypeSchema, id: z.string(), purged: z.literal(true) }),
  entryDeleted: z.object({ id: z.string(), deletedAt: time }),
  digest: z.object({ digest: digestSchema }),
  recovery: z.object({ counts: countsSchema, total: z.number().int(), durationMs: z.number() }),
  imported: z.object({ imported: countsSchema, new: countsSchema, unchanged: countsSchema }),
  webhooks: counted({ webhooks: z.array(webhookSchema) }),
  webhookCreated: z.object({ webhook: webhookSchema, secret: z.string() }),
  webhookRemoved: z.object({ removed: z.string() }),
  deliveries: counted({ deliveries: z.array(deliverySchema) }),
  sourceCreated: z.object({
    source: z.object({ id: z.string(), name: z.string(), createdAt: time }),
    secret: z.string(),
  }),
  ingested: z.object({ created: z.object({ type: z.enum(["entry", "memory"]), id: z.string() }), source: z.string() }),
  conversations: counted({ conversations: z.array(conversationSchema.extend({ messageCount: z.number().int() })) }),
  conversation: z.object({ conversation: conversationSchema }),
  messages: counted({ messages: z.array(chatMessageSchema) }),
  conversationDeleted: z.object({ deleted: z.literal(true), id: z.string() }),
  chatAnswer: chatAnswerSchema,
  oracleAnswer: oracleAnswerSchema,
  health: z.object({ status: z.literal("ok") }),
  ready: z.object({
    status: z.literal("ready"),
    database: z.enum(["sqlite", "postgres"]),
    search: z.object({ mode: z.enum(["bm25", "hybrid"]) }).passthrough(),
    chat: z.object({ provider: z.string(), model: z.string() }),
    rateLimits: z.enum(["memory", "redis"]),
    jobs: z.record(z.string(), z.unknown()),
  }),
  exportLines: z.string(),
};
