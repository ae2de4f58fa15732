import { applyPush } from "@cairn/core/operations/apply-push";
import { pullChanges } from "@cairn/core/operations/pull-changes";
import { recoveryBootstrap, syncDigest } from "@cairn/core/operations/safety";
import { userScopes } from "@cairn/core/user-scope";
import { api } from "@cairn/core/wire/api";
import type { OpenAlert } from "@cairn/core/wire/push";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/** Push and pull (SPEC section 3). The push commits before it answers 2xx. */
export function syncRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  route(app, api.push, async ({ body }, request) => {
    const userId = userOf(request).id;
    const response = await applyPush({ ...scope(userId), guard: deps.guard, faultPoint: deps.faultPoint }, body);
    deps.faultPoint?.("push.committed");
    return { ...response, alerts: await openAlerts(deps, userId) };
  });
  route(app, api.pull, async ({ query }, request) => {
    const userId = userOf(request).id;
    const page = await pullChanges(scope(userId), query);
    return { ...page, alerts: await openAlerts(deps, userId) };
  });
  route(app, api.digest, async ({ query }, request) => syncDigest(scope(userOf(request).id), query));
  route(app, api.devices, async (_input, request) => ({
    devices: await deps.store.forUser(userOf(request).id).listDevices(),
  }));
  route(app, api.recoveryBootstrap, async ({ body }, request) => recoveryBootstrap(scope(userOf(request).id), body));
}

/** The user's open destruction alerts as push and pull report them (`cairn sync status` shows them offline). */
async function openAlerts(deps: ServerDeps, userId: string): Promise<OpenAlert[]> {
  const { alerts } = await deps.store.forUser(userId).listAlerts({ open: true, limit: 5, offset: 0 });
  return alerts.map((alert) => ({
    id: alert.id,
    severity: alert.severity,
    deleteCount: alert.deleteCount,
    createdAt: alert.createdAt,
  }));
}
