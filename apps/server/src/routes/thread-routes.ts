import { deleteThread } from "@cairn/core/operations/delete-thread";
import { getThread } from "@cairn/core/operations/get-thread";
import { listThreads } from "@cairn/core/operations/list-threads";
import { searchEntries } from "@cairn/core/operations/search-entries";
import { syncThread } from "@cairn/core/operations/sync-thread";
import { threadStatus } from "@cairn/core/operations/thread-status";
import { deleteEntry } from "@cairn/core/operations/trash";
import { userScopes } from "@cairn/core/user-scope";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/** The threads API of SPEC section 4: thin adapters over the thread operations. */
export function threadRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // Every write goes through the user's scope: its sink runs the delete guard and the audit.
  const scope = userScopes(deps);
  route(app, api.syncThread, async ({ body }, request) => syncThread(scope(userOf(request).id), body));
  route(app, api.listThreads, async ({ query }, request) => listThreads(scope(userOf(request).id), query));
  route(app, api.searchEntries, async ({ query }, request) => searchEntries(scope(userOf(request).id), query));
  route(app, api.getThread, async ({ params, query }, request) =>
    getThread(scope(userOf(request).id), { ...query, thread: params.id }),
  );
  route(app, api.threadStatus, async ({ params, query }, request) =>
    threadStatus(scope(userOf(request).id), { ...query, thread: params.id }),
  );
  route(app, api.deleteThread, async ({ params, query }, request) =>
    deleteThread(scope(userOf(request).id), { ...query, thread: params.id }),
  );
  route(app, api.deleteEntry, async ({ params }, request) => deleteEntry(scope(userOf(request).id), params.id));
}
