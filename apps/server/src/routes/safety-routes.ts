import { ackAlert, listAlerts, listAudit } from "@cairn/core/operations/safety";
import { deleteEntry, listTrash, purgeFromTrash, restoreFromTrash } from "@cairn/core/operations/trash";
import { userScopes } from "@cairn/core/user-scope";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

type Params = { id: string };
type Query = Record<string, unknown>;

/** Alerts, the audit log, the trash and entry deletes (SPEC sections 4 and 6). */
export function safetyRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);

  app.get("/api/alerts", async (request) => listAlerts(scope(userOf(request).id), request.query as Query));
  app.post<{ Params: Params }>("/api/alerts/:id/ack", async (request) => {
    const user = userOf(request);
    return ackAlert(scope(user.id), {
      id: request.params.id,
      by: `${user.name} (token ${request.auth?.tokenId ?? "?"})`,
    });
  });

  app.get("/api/audit", async (request) => {
    const result = await listAudit(scope(userOf(request).id), request.query as Query);
    return { entries: result.events, total: result.total };
  });

  app.get("/api/trash", async (request) => listTrash(scope(userOf(request).id), request.query as Query));
  app.post("/api/trash/restore", async (request) => {
    const user = userOf(request);
    return restoreFromTrash(scope(user.id), (request.body ?? {}) as never);
  });
  app.post("/api/trash/purge", async (request) => {
    const user = userOf(request);
    return purgeFromTrash(scope(user.id), (request.body ?? {}) as never);
  });

  app.delete<{ Params: Params }>("/api/entries/:id", async (request) => {
    const user = userOf(request);
    return deleteEntry(scope(user.id), request.params.id);
  });
}
