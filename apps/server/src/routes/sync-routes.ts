import { applyPush } from "@cairn/core/operations/apply-push";
import { pullChanges } from "@cairn/core/operations/pull-changes";
import { parseInput } from "@cairn/core/validate";
import { pullQuerySchema } from "@cairn/core/wire/pull";
import { pushRequestSchema } from "@cairn/core/wire/push";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

/** Push and pull (SPEC section 3). The push commits before it answers 2xx. */
export function syncRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.post("/api/sync/push", async (request) => {
    const response = await applyPush(deps, userOf(request).id, parseInput(pushRequestSchema, request.body));
    deps.faultPoint?.("push.committed");
    return response;
  });
  app.get("/api/sync/pull", async (request) =>
    pullChanges(deps, userOf(request).id, parseInput(pullQuerySchema, request.query)),
  );
}
