import type { FastifyInstance } from "fastify";
import type { ServerDeps } from "../server-deps";

/** `/healthz` (the process answers) and `/readyz` (the database answers), both without auth. */
export function healthRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const config = { rateLimit: false };
  app.get("/healthz", { config }, async () => ({ status: "ok" }));
  app.get("/readyz", { config }, async (_request, reply) => {
    try {
      await deps.store.countUsers();
      return { status: "ready", database: deps.store.kind, search: "bm25" };
    } catch {
      return reply.status(503).send({ status: "unavailable", database: deps.store.kind });
    }
  });
}
