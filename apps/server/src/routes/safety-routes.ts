import { ackAlert, listAlerts, listAudit } from "@cairn/core/operations/safety";
import { listTrash, purgeFromTrash, restoreBurst, restoreFromTrash } from "@cairn/core/operations/trash";
import { userScopes } from "@cairn/core/user-scope";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/** Alerts, the audit log and the trash (SPEC sections 4 and 6). */
export function safetyRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  route(app, api.listAlerts, async ({ query }, request) => listAlerts(scope(userOf(request).id), query));
  route(app, api.ackAlert, async ({ params }, request) => {
    const user = userOf(request);
    return ackAlert(scope(user.id), { id: params.id, by: `${user.name} (token ${request.auth?.tokenId ?? "?"})` });
  });
  route(app, api.restoreBurst, async ({ params }, request) => restoreBurst(scope(userOf(request).id), params.id));
  route(app, api.audit, async ({ query }, request) => {
    const result = await listAudit(scope(userOf(request).id), query);
    return { entries: result.events, total: result.total };
  });
  route(app, api.listTrash, async ({ query }, request) => listTrash(scope(userOf(request).id), query));
  route(app, api.restoreFromTrash, async ({ body }, request) => restoreFromTrash(scope(userOf(request).id), body));
  route(app, api.purgeFromTrash, async ({ body }, request) => purgeFromTrash(scope(userOf(request).id), body));
}
