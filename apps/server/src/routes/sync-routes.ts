import { applyPush } from "@cairn/core/operations/apply-push";
import { pullChanges } from "@cairn/core/operations/pull-changes";
import { recoveryBootstrap, syncDigest } from "@cairn/core/operations/safety";
import { userScopes } from "@cairn/core/user-scope";
import { parseInput } from "@cairn/core/validate";
import { pullQuerySchema } from "@cairn/core/wire/pull";
import { type OpenAlert, pushRequestSchema } from "@cairn/core/wire/push";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

/** Push and pull (SPEC section 3). The push commits before it answers 2xx. */
export function syncRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  app.post("/api/sync/push", async (request) => {
    const userId = userOf(request).id;
    const response = await applyPush(
      { ...scope(userId), guard: deps.guard, faultPoint: deps.faultPoint },
      parseInput(pushRequestSchema, request.body),
    );
    deps.faultPoint?.("push.committed");
    return { ...response, alerts: await openAlerts(deps, userId) };
  });

  app.get("/api/sync/digest", async (request) =>
    syncDigest(scope(userOf(request).id), request.query as Record<string, string>),
  );

  app.post("/api/recovery/bootstrap", async (request) =>
    recoveryBootstrap(scope(userOf(request).id), (request.body ?? {}) as Record<string, string>),
  );
  app.get("/api/sync/pull", async (request) => {
    const userId = userOf(request).id;
    const page = await pullChanges(scope(userId), parseInput(pullQuerySchema, request.query));
    return { ...page, alerts: await openAlerts(deps, userId) };
  });
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
