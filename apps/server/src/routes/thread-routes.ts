import { deleteThread } from "@cairn/core/operations/delete-thread";
import { getThread } from "@cairn/core/operations/get-thread";
import { listThreads } from "@cairn/core/operations/list-threads";
import { searchEntries } from "@cairn/core/operations/search-entries";
import { syncThread } from "@cairn/core/operations/sync-thread";
import { threadStatus } from "@cairn/core/operations/thread-status";
import { userScopes } from "@cairn/core/user-scope";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

type Params = { id: string };
type Query = Record<string, unknown>;

/** The threads API of SPEC section 4: thin adapters over the thread operations. */
export function threadRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // The server's one writer: its sink runs the delete guard and the audit, as every write must.
  const scope = userScopes(deps);
  app.post("/api/threads/sync", async (request) => {
    const user = userOf(request);
    return syncThread(scope(user.id), request.body as never);
  });

  app.get("/api/threads", async (request) => listThreads(scope(userOf(request).id), request.query as Query));

  app.get("/api/threads/search", async (request) => searchEntries(scope(userOf(request).id), request.query as never));

  app.get<{ Params: Params }>("/api/threads/:id", async (request) =>
    getThread(scope(userOf(request).id), { ...(request.query as Query), thread: request.params.id }),
  );

  app.get<{ Params: Params }>("/api/threads/:id/status", async (request) =>
    threadStatus(scope(userOf(request).id), { ...(request.query as Query), thread: request.params.id }),
  );

  app.delete<{ Params: Params }>("/api/threads/:id", async (request) => {
    const user = userOf(request);
    return deleteThread(scope(user.id), {
      ...(request.query as Query),
      thread: request.params.id,
    });
  });
}
