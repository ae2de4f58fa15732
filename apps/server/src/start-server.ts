import { existsSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { createUser } from "@cairn/core/accounts/create-user";
import { AppError } from "@cairn/core/app-error";
import { createIdGenerator } from "@cairn/core/ids";
import { serverClock } from "@cairn/core/server-clock";
import type { Store } from "@cairn/core/store/store-port";
import { parseInput } from "@cairn/core/validate";
import { addressPolicyOf } from "@cairn/core/webhooks/address-policy";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { ThreadWriteLock } from "@cairn/store/sqlite/thread-write-lock";
import type { FastifyInstance } from "fastify";
import { createChatModel } from "./chat/chat-model";
import { createApp } from "./create-app";
import { embeddingJobs } from "./embeddings/embedding-jobs";
import { createEmbedder } from "./embeddings/embedding-model";
import { type JobRunner, startJobRunner } from "./jobs/job-runner";
import { maintenanceJobs } from "./jobs/maintenance-jobs";
import { openServerStore } from "./open-server-store";
import { readableLogStream } from "./readable-log";
import type { ServerDeps } from "./server-deps";
import { type ServerOptionsInput, serverOptionsSchema } from "./server-options";
import { requestThreadHolder, startDeliveryThread } from "./webhooks/delivery-thread";
import { eventJobs } from "./webhooks/event-jobs";

/** Why the server could not listen, in words with the fix (a port in use is the usual case, not a bug). */
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EADDRINUSE") {
    return new AppError("unavailable", `Port ${port} on ${host} is already in use (another cairn serve?)`, {
      cause: error,
      hint: `Stop what listens there, or choose another port: cairn serve --port ${port + 1} (or CAIRN_PORT=${port + 1}).`,
    });
  }
  if (code === "EACCES") {
    return new AppError("forbidden", `Not allowed to listen on port ${port} of ${host}`, {
      cause: error,
      hint: "Ports below 1024 need privileges: choose a port above 1024 with --port (or CAIRN_PORT).",
    });
  }
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") {
    return new AppError("bad_request", `This machine has no address ${host} to listen on`, {
      cause: error,
      hint: "Use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every interface).",
    });
  }
  return error;
}

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  url: string;
  /** Whether the web UI is served at / (it was built). */
  webUi: boolean;
  /** The admin token when this start created the admin user; shown once by the caller. */
  adminToken: string | null;
  close(): Promise<void>;
}

/**
 * Opens the database, creates `admin` on an empty one, and listens. The caller
 * (the CLI's `serve`) prints the admin token and wires signals to `close`.
 */
export async function startServer(
  input: ServerOptionsInput,
  runtime: {
    faultPoint?: ServerDeps["faultPoint"];
    sqliteBinding?: string | undefined;
    /**
     * The bundled delivery thread (apps/cli/dist/delivery-worker.cjs): webhook deliveries run there, off
     * the request loop. Without it (tests that embed the server) this process's runner sends them.
     */
    deliveryWorker?: string | undefined;
    /** The built web UI (apps/cli/dist/web), served at / (`cairn serve` passes the one beside its bundle). */
    webRoot?: string | undefined;
  } = {},
): Promise<RunningServer> {
  const options = parseInput(serverOptionsSchema, input);
  const embedder = createEmbedder(options) ?? undefined;
  // On SQLite the delivery thread's connection and this one queue for the write lock in shared memory,
  // requests first.
  const writeLock = runtime.deliveryWorker && !options.databaseUrl ? ThreadWriteLock.buffer() : undefined;
  const store = await openServerStore({
    ...options,
    sqliteBinding: runtime.sqliteBinding,
    threadWriteLock: writeLock ? { buffer: writeLock, holder: requestThreadHolder, first: true } : undefined,
  });
  const now = () => new Date();
  const deps: ServerDeps = {
    store,
    secrets: nodeSecrets,
    now,
    newId: createIdGenerator(),
    guard: {
      mode: options.deleteGuard,
      warnAbove: options.deleteWarnAbove,
      criticalAbove: options.deleteCriticalAbove,
      windowMs: options.deleteWindowMs,
    },
    nextVersion: serverClock(now),
    faultPoint: runtime.faultPoint,
    embedder,
    queryEmbeddingTimeoutMs: options.queryEmbeddingTimeoutMs,
    webhookPolicy: addressPolicyOf(options.webhookAllowHosts),
  };
  let adminToken: string | null = null;
  if ((await store.system.countUsers()) === 0) {
    adminToken = (await createUser(deps, { name: "admin", tokenName: "bootstrap" })).token;
  }
  const app = await createApp({
    deps,
    options,
    webRoot: runtime.webRoot,
    logger:
      options.logLevel === "silent"
        ? false
        : {
            level: options.logLevel,
            redact: ["req.headers.authorization"],
            ...(options.logFormat === "readable" ? { stream: readableLogStream() } : {}),
          },
  });
  try {
    await app.listen({ host: options.host, port: options.port });
  } catch (error) {
    await app.close();
    await store.close();
    throw listenError(error, options.host, options.port);
  }
  const handlers = maintenanceJobs({ store, now }, options.jobIntervalMs, app.log);
  if (embedder) handlers.push(...embeddingJobs({ store, embedder, now }, options.embeddingScanMs, () => jobs));
  // Session summaries use the configured chat model; the built-in one summarises extractively.
  const summaryModel = options.chatProvider === "offline" ? null : createChatModel(options);
  const deliverHere = runtime.deliveryWorker === undefined;
  // Jobs that queue deliveries wake this runner and the delivery thread alike.
  const wakeAll = (): JobRunner => ({
    ...jobs,
    wake() {
      jobs.wake();
      deliveries?.wake();
    },
  });
  handlers.push(...eventJobs(deps, { scanEveryMs: options.eventScanMs, model: summaryModel, deliverHere }, wakeAll));
  const owner = `${hostname()}:${process.pid}:${deps.newId()}`;
  const runnerOptions = {
    pollMs: options.jobPollMs,
    leaseMs: options.jobLeaseMs,
    concurrency: options.jobConcurrency,
    retryBaseMs: options.jobRetryBaseMs,
  };
  const jobs: JobRunner = startJobRunner(deps, handlers, { owner, ...runnerOptions }, app.log);
  const deliveries = runtime.deliveryWorker
    ? startDeliveryThread(
        runtime.deliveryWorker,
        {
          store: { dataDir: options.dataDir, databaseUrl: options.databaseUrl, sqliteBinding: runtime.sqliteBinding },
          writeLock,
          webhookAllowHosts: options.webhookAllowHosts,
          runner: {
            ...runnerOptions,
            owner: `${owner}:deliveries`,
            concurrency: options.deliveryConcurrency,
            perPartition: options.deliveryPerEndpoint,
            // One commit per 25 ms at most: between two, the request thread writes on a warm page cache and
            // seldom waits for the lock (measured: 10 ms cost writes about 1.25× at p50, 25 ms about 1.1×).
            commitEveryMs: 25,
          },
        },
        app.log,
      )
    : null;
  deps.jobs = wakeAll();
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  let closing: Promise<void> | null = null;
  return {
    app,
    store,
    url: `http://${host}:${port}`,
    webUi: runtime.webRoot !== undefined && existsSync(join(runtime.webRoot, "index.html")),
    adminToken,
    close() {
      // app.close() waits for in-flight requests, so a push that started commits first.
      closing ??= Promise.all([jobs.stop(), deliveries?.stop()]).then(() => app.close().then(() => store.close()));
      return closing;
    },
  };
}
