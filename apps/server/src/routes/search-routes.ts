import { search } from "@cairn/core/operations/search";
import { userScopes } from "@cairn/core/user-scope";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

/** `GET /api/search`: unified search over entries, memories and tasks (see operations/search.ts). */
export function searchRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  app.get("/api/search", async (request) => search(scope(userOf(request).id), request.query as never));
}
