import { resolveRef } from "@cairn/core/operations/citation-ref";
import { search } from "@cairn/core/operations/search";
import { userScopes } from "@cairn/core/user-scope";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/**
 * `GET /api/search`: unified search over entries, memories and tasks (see operations/search.ts);
 * `GET /api/refs?ref=…`: the row a citation or permalink names (operations/citation-ref.ts).
 */
export function searchRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  route(app, api.search, async ({ query }, request) => search(scope(userOf(request).id), query));
  route(app, api.resolveRef, async ({ query }, request) => resolveRef(scope(userOf(request).id).store, query.ref));
}
