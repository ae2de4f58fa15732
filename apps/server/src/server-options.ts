import { limits } from "@cairn/core/limits";
import * as z from "zod";

/**
 * Every server option, declared once: name, schema, default. The CLI's
 * `serve` maps flags and CAIRN_* environment variables onto it.
 */
export const serverOptionsSchema = z.object({
  host: z.string().default("127.0.0.1"),
  port: z.number().int().min(0).max(65535).default(8787),
  /** Directory of the SQLite database when no databaseUrl is set. */
  dataDir: z.string().min(1),
  /** postgres://… to run on PostgreSQL instead of SQLite. */
  databaseUrl: z.string().optional(),
  bodyLimitBytes: z.number().int().positive().default(limits.bodyBytes),
  /** Per-user limits per minute (SPEC section 4). */
  writesPerMinute: z.number().int().positive().default(600),
  readsPerMinute: z.number().int().positive().default(6000),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** json: one JSON object a line (production, log collectors); readable: one short line a request, for a terminal. */
  logFormat: z.enum(["json", "readable"]).default("json"),
  /** The destruction guard (SPEC section 6): warn, or block deletes after an alert until it is acknowledged. */
  deleteGuard: z.enum(["warn", "block"]).default("warn"),
  deleteWarnAbove: z.number().int().positive().default(10),
  deleteCriticalAbove: z.number().int().positive().default(50),
  deleteWindowMs: z.number().int().positive().default(60_000),
  /** How often the server's periodic jobs run (closing idle sessions, purging the 30-day trash). */
  jobIntervalMs: z.number().int().positive().default(60_000),
  /** How often an idle job runner looks for due jobs (new jobs of this process wake it at once). */
  jobPollMs: z.number().int().positive().default(1_000),
  /** A claimed job's lease, renewed while it runs: a job whose worker died is claimed again after it. */
  jobLeaseMs: z.number().int().min(100).default(60_000),
  /** A failed job's first retry delay, doubling to 5 minutes (SPEC section 7: 1 s). */
  jobRetryBaseMs: z.number().int().min(1).default(1_000),
  /** Jobs one server process runs at once (webhook deliveries apart: see below). */
  jobConcurrency: z.number().int().min(1).max(64).default(8),
  /** Webhook deliveries the delivery thread sends at once, over all endpoints. */
  deliveryConcurrency: z.number().int().min(1).max(512).default(128),
  /** Deliveries to one endpoint in flight at once, about: a receiver that hangs holds no more slots than this. */
  deliveryPerEndpoint: z.number().int().min(1).max(256).default(32),
  /** The embedding model for hybrid search (issue 6); none: BM25 only. */
  embeddingProvider: z.enum(["none", "openai", "openai-compatible"]).default("none"),
  embeddingModel: z.string().optional(),
  embeddingBaseUrl: z.string().url().optional(),
  /** The embedding provider's key; never logged. */
  embeddingApiKey: z.string().optional(),
  /**
   * Hosts webhooks may reach although they are internal (loopback, private networks): a
   * comma-separated list of names or name:port (see core/webhooks/address-policy.ts).
   */
  webhookAllowHosts: z.string().default(""),
  /**
   * The users who administer this server over HTTP (the job table, in the web UI's Jobs page): a
   * comma-separated list of user names. The default is the user the first start creates.
   */
  adminUsers: z.string().default("admin"),
  /** How often the server looks for changes to turn into webhook deliveries and session summaries. */
  eventScanMs: z.number().int().positive().default(1_000),
  /** How often the server looks for rows written since their embeddings. */
  embeddingScanMs: z.number().int().positive().default(2_000),
  /** Chat requests per user per minute (SPEC section 4). */
  chatPerMinute: z.number().int().positive().default(60),
  /** redis://… shares the rate limits between every server process on it. */
  redisUrl: z.string().optional(),
  /** The chat agent's model (SPEC section 5); offline: the built-in command parser. */
  chatProvider: z.enum(["offline", "openai", "anthropic", "openai-compatible"]).default("offline"),
  chatModel: z.string().optional(),
  /** The provider's base URL (required for openai-compatible: Ollama, vLLM, llama.cpp, LM Studio). */
  chatBaseUrl: z.string().url().optional(),
  /** The provider's key; never logged. */
  chatApiKey: z.string().optional(),
  /** Model steps in one turn (each may call tools) before the turn fails with agent_turn_limit. */
  chatMaxSteps: z.number().int().min(1).max(50).default(8),
  /** History sent to the model: the last N messages within a token budget. */
  chatHistoryMessages: z.number().int().min(1).max(1000).default(50),
  chatHistoryTokens: z.number().int().min(100).default(8000),
  /** One provider call's deadline. */
  chatTimeoutMs: z.number().int().positive().default(60_000),
  /** The oracle's retrieval budget, in tokens of source text. */
  oracleBudgetTokens: z.number().int().min(200).max(100_000).default(4_000),
  /** Retries of a provider call on retryable errors, with exponential backoff. */
  chatRetries: z.number().int().min(0).max(10).default(3),
  /** How long a search waits for its query's embedding before ranking by BM25 alone. */
  queryEmbeddingTimeoutMs: z.number().int().positive().default(3_000),
});
export type ServerOptions = z.infer<typeof serverOptionsSchema>;
export type ServerOptionsInput = z.input<typeof serverOptionsSchema>;
