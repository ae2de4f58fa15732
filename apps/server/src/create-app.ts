import { randomUUID } from "node:crypto";
import { serverToolContext } from "@cairn/agent/server-tool-context";
import { AppError } from "@cairn/core/app-error";
import { serverClock } from "@cairn/core/server-clock";
import { userScopes } from "@cairn/core/user-scope";
import cookie from "@fastify/cookie";
import rateLimit from "@fastify/rate-limit";
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from "fastify";
import { Redis } from "ioredis";
import { registerAuth } from "./auth";
import { createChatModel, describeChatModel } from "./chat/chat-model";
import { handleClientError, handleError, handleFrameworkError } from "./error-handler";
import { refuseNul } from "./refuse-nul";
import { adminNames, adminRoutes } from "./routes/admin-routes";
import { chatRoutes } from "./routes/chat-routes";
import { feedRoutes } from "./routes/feed-routes";
import { healthRoutes } from "./routes/health-routes";
import { mcpRoutes } from "./routes/mcp-routes";
import { meRoutes } from "./routes/me-routes";
import { memoryRoutes } from "./routes/memory-routes";
import { oracleRoutes } from "./routes/oracle-routes";
import { portabilityRoutes } from "./routes/portability-routes";
import { safetyRoutes } from "./routes/safety-routes";
import { searchRoutes } from "./routes/search-routes";
import { sessionRoutes } from "./routes/session-routes";
import { syncRoutes } from "./routes/sync-routes";
import { taskRoutes } from "./routes/task-routes";
import { threadRoutes } from "./routes/thread-routes";
import { webhookRoutes } from "./routes/webhook-routes";
import { securityHeaders } from "./security-headers";
import type { ServerDeps } from "./server-deps";
import { type ServerOptions, type ServerOptionsInput, serverOptionsSchema } from "./server-options";
import { registerWebUi } from "./web-ui";

export interface CreateAppOptions {
  deps: ServerDeps;
  /** Limits and the chat agent's settings; what is left out takes its default. */
  options: Pick<ServerOptions, "bodyLimitBytes" | "writesPerMinute" | "readsPerMinute"> &
    Omit<Partial<ServerOptionsInput>, "bodyLimitBytes" | "writesPerMinute" | "readsPerMinute">;
  /** A pino logger configuration, or false in tests. */
  logger?: FastifyServerOptions["logger"];
  /** The built web UI (apps/cli/dist/web), served at / when given. */
  webRoot?: string | undefined;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,100}$/;

/** The HTTP app: auth, per-user rate limits, one error body, the routes. Not listening yet. */
export async function createApp({
  deps,
  options,
  logger = false,
  webRoot,
}: CreateAppOptions): Promise<FastifyInstance> {
  const settings = serverOptionsSchema.parse({ dataDir: ".", ...options });
  // One version clock per server process, shared by every route and the chat agent's tools.
  deps.nextVersion ??= serverClock(deps.now);
  const app = Fastify({
    logger,
    bodyLimit: options.bodyLimitBytes,
    // One log line per request (onResponse below) instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && requestIdPattern.test(given) ? given : randomUUID();
    },
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: (error, socket) => handleClientError(error, socket, randomUUID()),
  });
  app.setErrorHandler((error, request, reply) => handleError(error, request, reply));
  // The web UI, when built (apps/cli/dist/web): its page answers a browser's GET outside the API.
  const page = webRoot ? await registerWebUi(app, webRoot) : null;
  app.setNotFoundHandler((request, reply) => {
    if (page?.(request, reply)) return reply;
    return handleError(
      new AppError("not_found", `No route ${request.method} ${request.url.split("?")[0]}`),
      request,
      reply,
    );
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
    // A page sets its own policy (web-ui.ts); every other answer gets these.
    for (const [name, value] of Object.entries(securityHeaders)) if (!reply.hasHeader(name)) reply.header(name, value);
  });
  app.addHook("onResponse", async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? "unmatched",
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        user: request.auth?.user.id,
      },
      "request",
    );
  });

  await app.register(cookie);
  registerAuth(app, deps);
  refuseNul(app, new Set(["/api/sync/push"]));
  // With Redis, every server process on it counts against the same per-user limits.
  const redis = settings.redisUrl
    ? new Redis(settings.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2_000, enableOfflineQueue: false })
    : null;
  if (redis) {
    redis.on("error", (error: Error) => app.log.warn({ err: error.message }, "redis"));
    app.addHook("onClose", async () => {
      await redis.quit().catch(() => redis.disconnect());
    });
    // Start counting in Redis from the first request (commands are not queued while it connects).
    const ready = await Promise.race([
      new Promise<boolean>((resolve) => redis.once("ready", () => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2_000).unref()),
    ]);
    if (!ready) app.log.warn("redis is not reachable yet: rate limits let requests through until it is");
  }
  await app.register(rateLimit, {
    // Redis down: requests go through rather than fail (and /readyz answers 503 meanwhile).
    ...(redis ? { redis, nameSpace: "cairn-rate:", skipOnError: true } : {}),
    hook: "preHandler",
    timeWindow: 60_000,
    // Writes and reads are counted apart, per user (or per address before auth).
    keyGenerator: (request) => `${request.auth?.user.id ?? request.ip}:${isWrite(request.method) ? "w" : "r"}`,
    max: (request) => (isWrite(request.method) ? options.writesPerMinute : options.readsPerMinute),
    errorResponseBuilder: (_request, context) =>
      new AppError("rate_limited", `Rate limit of ${context.max} per minute reached; retry in ${context.after}`, {
        details: { retryAfterSeconds: Math.ceil(context.ttl / 1000) },
      }),
  });

  healthRoutes(app, deps, { chat: describeChatModel(settings), redis });
  const admins = adminNames(settings.adminUsers);
  meRoutes(app, deps, admins);
  adminRoutes(app, deps, admins);
  sessionRoutes(app, deps);
  feedRoutes(app, deps);
  threadRoutes(app, deps);
  syncRoutes(app, deps);
  searchRoutes(app, deps);
  memoryRoutes(app, deps);
  safetyRoutes(app, deps);
  taskRoutes(app, deps);
  webhookRoutes(app, deps);
  portabilityRoutes(app, deps);
  const logInternal = (error: unknown) => app.log.error({ err: error }, "internal error in a tool");
  const model = deps.chatModel ?? createChatModel(settings);
  const scopes = userScopes(deps);
  const oracle = {
    scopes,
    // The built-in offline model answers extractively; any other model generates.
    model: deps.chatModel || settings.chatProvider !== "offline" ? model : null,
    oracle: {
      budgetTokens: settings.oracleBudgetTokens,
      timeoutMs: settings.chatTimeoutMs,
      retries: settings.chatRetries,
    },
  };
  oracleRoutes(app, oracle);
  mcpRoutes(app, { scopes, oracle }, logInternal);
  chatRoutes(
    app,
    {
      store: deps.store,
      scopes,
      toolContext: (userId, conversation) =>
        serverToolContext({ scopes, oracle }, { userId, actor: "the chat agent", conversation }),
      now: deps.now,
      newId: deps.newId,
      model,
      chat: settings,
      logInternal,
      faultPoint: deps.faultPoint,
    },
    settings.chatPerMinute,
  );
  return app;
}

function isWrite(method: string): boolean {
  return method !== "GET" && method !== "HEAD" && method !== "OPTIONS";
}
