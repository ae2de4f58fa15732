import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { defaultServerDataDir } from "../paths";
import { databaseName } from "./admin-database";
import { intOption } from "./options";

/** For crash tests: die like a power cut (SIGKILL, no clean-up) at one named point. */
function crashHooks(point: string | undefined) {
  if (!point) return {};
  return {
    faultPoint: (reached: string) => {
      if (reached === point) process.kill(process.pid, "SIGKILL");
    },
  };
}

/**
 * The delivery thread's bundle, built beside the CLI's (dist/delivery-worker.cjs; `__dirname` is the dist
 * folder in the bundle). Absent when the CLI runs from source: the server then delivers on its own loop.
 */
function deliveryWorkerScript(): string | undefined {
  if (typeof __dirname !== "string") return undefined;
  const script = join(__dirname, "delivery-worker.cjs");
  return existsSync(script) ? script : undefined;
}

interface ServeOptions {
  host?: string;
  port?: number;
  data?: string;
  databaseUrl?: string;
  logLevel?: string;
  deleteGuard?: string;
  json?: boolean;
}

/** The numeric settings given by environment variables (unset ones keep the server's defaults). */
function numbers(values: Record<string, string | undefined>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(values)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([key, value]) => [key, Number(value)]),
  );
}

/** `cairn serve`: the server on SQLite by default; prints the admin token once on an empty database. */
export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command("serve")
    .description("Run the Cairn server")
    .option("--host <host>", "listen address (default 127.0.0.1)")
    .option("--port <port>", "port (default 8787; 0 picks a free one)", intOption)
    .option("--data <dir>", "data directory of the SQLite database")
    .option("--database-url <url>", "PostgreSQL URL instead of SQLite")
    .option("--log-level <level>", "fatal|error|warn|info|debug|silent")
    .option("--delete-guard <mode>", "warn|block: after a mass-deletion alert, block deletes until it is acknowledged")
    .option("--json", "print the start-up banner as JSON")
    .action(async (options: ServeOptions) => {
      // Listen for signals before the ready line: a SIGTERM right after it must stop cleanly.
      const stopped = context.stopSignal();
      const { startServer } = await import("@cairn/server/start-server");
      const { env } = context;
      const databaseUrl = options.databaseUrl ?? env.CAIRN_DATABASE_URL;
      const server = await startServer(
        {
          host: options.host ?? env.CAIRN_HOST ?? "127.0.0.1",
          port: options.port ?? (env.CAIRN_PORT ? Number(env.CAIRN_PORT) : 8787),
          dataDir: options.data ?? defaultServerDataDir(context.paths, env),
          ...(databaseUrl ? { databaseUrl } : {}),
          logLevel: (options.logLevel ?? env.CAIRN_LOG_LEVEL ?? "info") as "info",
          // A person at a terminal reads one line a request; anything else (a service, a pipe) gets JSON.
          logFormat: (env.CAIRN_LOG_FORMAT ?? (context.stdoutIsTerminal() ? "readable" : "json")) as "json",
          deleteGuard: (options.deleteGuard ?? env.CAIRN_DELETE_GUARD ?? "warn") as "warn",
          ...(env.CAIRN_REDIS_URL ? { redisUrl: env.CAIRN_REDIS_URL } : {}),
          ...(env.CAIRN_WEBHOOK_ALLOW_HOSTS ? { webhookAllowHosts: env.CAIRN_WEBHOOK_ALLOW_HOSTS } : {}),
          ...(env.CAIRN_ADMIN_USERS ? { adminUsers: env.CAIRN_ADMIN_USERS } : {}),
          ...(env.CAIRN_CHAT_PROVIDER ? { chatProvider: env.CAIRN_CHAT_PROVIDER as "offline" } : {}),
          ...(env.CAIRN_CHAT_MODEL ? { chatModel: env.CAIRN_CHAT_MODEL } : {}),
          ...(env.CAIRN_CHAT_BASE_URL ? { chatBaseUrl: env.CAIRN_CHAT_BASE_URL } : {}),
          ...(env.CAIRN_CHAT_API_KEY ? { chatApiKey: env.CAIRN_CHAT_API_KEY } : {}),
          ...(env.CAIRN_EMBEDDING_PROVIDER ? { embeddingProvider: env.CAIRN_EMBEDDING_PROVIDER as "none" } : {}),
          ...(env.CAIRN_EMBEDDING_MODEL ? { embeddingModel: env.CAIRN_EMBEDDING_MODEL } : {}),
          ...(env.CAIRN_EMBEDDING_BASE_URL ? { embeddingBaseUrl: env.CAIRN_EMBEDDING_BASE_URL } : {}),
          ...(env.CAIRN_EMBEDDING_API_KEY ? { embeddingApiKey: env.CAIRN_EMBEDDING_API_KEY } : {}),
          ...numbers({
            chatMaxSteps: env.CAIRN_CHAT_MAX_STEPS,
            chatHistoryMessages: env.CAIRN_CHAT_HISTORY_MESSAGES,
            chatHistoryTokens: env.CAIRN_CHAT_HISTORY_TOKENS,
            chatTimeoutMs: env.CAIRN_CHAT_TIMEOUT_MS,
            chatPerMinute: env.CAIRN_CHAT_PER_MINUTE,
            writesPerMinute: env.CAIRN_WRITES_PER_MINUTE,
            readsPerMinute: env.CAIRN_READS_PER_MINUTE,
            deleteWarnAbove: env.CAIRN_DELETE_WARN_ABOVE,
            deleteCriticalAbove: env.CAIRN_DELETE_CRITICAL_ABOVE,
            deleteWindowMs: env.CAIRN_DELETE_WINDOW_MS,
            jobIntervalMs: env.CAIRN_JOB_INTERVAL_MS,
            jobPollMs: env.CAIRN_JOB_POLL_MS,
            jobLeaseMs: env.CAIRN_JOB_LEASE_MS,
            jobConcurrency: env.CAIRN_JOB_CONCURRENCY,
            deliveryConcurrency: env.CAIRN_DELIVERY_CONCURRENCY,
            deliveryPerEndpoint: env.CAIRN_DELIVERY_PER_ENDPOINT,
            jobRetryBaseMs: env.CAIRN_JOB_RETRY_BASE_MS,
            embeddingScanMs: env.CAIRN_EMBEDDING_SCAN_MS,
            eventScanMs: env.CAIRN_EVENT_SCAN_MS,
            queryEmbeddingTimeoutMs: env.CAIRN_QUERY_EMBEDDING_TIMEOUT_MS,
          }),
        },
        {
          ...crashHooks(env.CAIRN_TEST_CRASH_AT),
          sqliteBinding: context.sqliteBinding,
          deliveryWorker: deliveryWorkerScript(),
          // The web UI is built beside the CLI's bundle (dist/web).
          webRoot: typeof __dirname === "string" ? join(__dirname, "web") : undefined,
        },
      );
      const database = server.store.kind;
      const location = databaseName(context, { data: options.data, databaseUrl }).name;
      if (options.json) {
        context.stdout(
          `${JSON.stringify({ ready: true, url: server.url, database, location, adminToken: server.adminToken })}\n`,
        );
      } else {
        if (server.adminToken) {
          context.stdout(
            [
              "Created the user admin. Its token is shown once; keep it:",
              `  ${server.adminToken}`,
              `  cairn login --server ${server.url} --token ${server.adminToken}`,
              "",
            ].join("\n"),
          );
        }
        context.stdout(`Cairn server ready at ${server.url} (${database}: ${location})\n`);
        if (server.webUi) context.stdout(`Web UI: ${server.url}/ (sign in with an API token)\n`);
      }
      const signal = await stopped;
      server.app.log.info({ signal }, "shutting down");
      await server.close();
    });
}
