import {
  forgetMemory,
  getMemory,
  listMemories,
  memoryHistory,
  remember,
  restoreMemory,
  searchMemories,
  updateMemory,
} from "@cairn/core/operations/memories";
import { endSession, listSessions, sessionRecord, startSession } from "@cairn/core/operations/sessions";
import { userScopes } from "@cairn/core/user-scope";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/** Memories and sessions over REST (SPEC section 4): thin adapters over the operations. */
export function memoryRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  route(app, api.listMemories, async ({ query }, request) => {
    const result = await listMemories(scope(userOf(request).id), query);
    return { memories: result.memories, total: result.total };
  });
  route(app, api.searchMemories, async ({ query }, request) => searchMemories(scope(userOf(request).id), query));
  route(app, api.remember, async ({ body }, request) => ({
    memory: await remember(scope(userOf(request).id), body),
  }));
  route(app, api.getMemory, async ({ params }, request) => ({
    memory: await getMemory(scope(userOf(request).id), params.id),
  }));
  route(app, api.memoryHistory, async ({ params, query }, request) =>
    memoryHistory(scope(userOf(request).id), { id: params.id, ...query }),
  );
  route(app, api.updateMemory, async ({ params, body }, request) => ({
    memory: await updateMemory(scope(userOf(request).id), { ...body, id: params.id }),
  }));
  route(app, api.forgetMemory, async ({ params }, request) => ({
    memory: await forgetMemory(scope(userOf(request).id), params.id),
  }));
  route(app, api.restoreMemory, async ({ params }, request) => ({
    memory: await restoreMemory(scope(userOf(request).id), params.id),
  }));

  route(app, api.listSessions, async ({ query }, request) => listSessions(scope(userOf(request).id), query));
  route(app, api.startSession, async ({ body }, request) => ({
    session: await startSession(scope(userOf(request).id), body),
  }));
  route(app, api.getSession, async ({ params }, request) => sessionRecord(scope(userOf(request).id), params.id));
  route(app, api.endSession, async ({ params, body }, request) => ({
    session: await endSession(scope(userOf(request).id), { id: params.id, summary: body.summary }),
  }));
}
