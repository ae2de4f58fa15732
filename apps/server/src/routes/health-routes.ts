import { jobSummary } from "@cairn/core/operations/jobs";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/** `/healthz` (the process answers) and `/readyz` (the database, the rate-limit store, the providers), both without auth. */
export function healthRoutes(
  app: FastifyInstance,
  deps: ServerDeps,
  parts: { chat: { provider: string; model: string }; redis: Redis | null },
): void {
  const config = { rateLimit: false as const };
  route(app, api.health, async () => ({ status: "ok" as const }), { config });
  route(
    app,
    api.ready,
    async (_input, _request, reply) => {
      const redis = parts.redis ? parts.redis.status : "off";
      try {
        const counts = await deps.store.system.countJobs();
        if (parts.redis && redis !== "ready") throw new Error("redis not ready");
        return {
          status: "ready" as const,
          database: deps.store.kind,
          search: deps.embedder
            ? {
                mode: "hybrid" as const,
                embeddings: { provider: deps.embedder.provider, model: deps.embedder.model },
                vectors: deps.store.vectorBackend,
              }
            : { mode: "bm25" as const, note: "no embedding provider configured: full-text ranking only" },
          chat: parts.chat,
          rateLimits: redis === "off" ? ("memory" as const) : ("redis" as const),
          jobs: jobSummary(counts, deps.now()),
        };
      } catch {
        return reply.status(503).send({ status: "unavailable", database: deps.store.kind, redis });
      }
    },
    { config },
  );
}
