import {
  forgetMemory,
  getMemory,
  listMemories,
  remember,
  restoreMemory,
  searchMemories,
  updateMemory,
} from "@cairn/core/operations/memories";
import { endSession, listSessions, sessionRecord, startSession } from "@cairn/core/operations/sessions";
import { userScopes } from "@cairn/core/user-scope";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

type Params = { id: string };
type Query = Record<string, unknown>;

/** Memories and sessions over REST (SPEC section 4): thin adapters over the operations. */
export function memoryRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);

  app.get("/api/memories", async (request) => {
    const result = await listMemories(scope(userOf(request).id), request.query as Query);
    return { memories: result.memories, total: result.total };
  });
  app.get("/api/memories/search", async (request) => searchMemories(scope(userOf(request).id), request.query as never));
  app.post("/api/memories", async (request, reply) => {
    const user = userOf(request);
    const memory = await remember(scope(user.id), (request.body ?? {}) as never);
    reply.code(201);
    return { memory };
  });
  app.get<{ Params: Params }>("/api/memories/:id", async (request) => ({
    memory: await getMemory(scope(userOf(request).id), request.params.id),
  }));
  app.patch<{ Params: Params }>("/api/memories/:id", async (request) => {
    const user = userOf(request);
    const body = (request.body ?? {}) as Query;
    return { memory: await updateMemory(scope(user.id), { ...body, id: request.params.id }) };
  });
  app.delete<{ Params: Params }>("/api/memories/:id", async (request) => {
    const user = userOf(request);
    return { memory: await forgetMemory(scope(user.id), request.params.id) };
  });
  app.post<{ Params: Params }>("/api/memories/:id/restore", async (request) => {
    const user = userOf(request);
    return { memory: await restoreMemory(scope(user.id), request.params.id) };
  });

  app.get("/api/sessions", async (request) => listSessions(scope(userOf(request).id), request.query as Query));
  app.post("/api/sessions", async (request, reply) => {
    const user = userOf(request);
    const session = await startSession(scope(user.id), (request.body ?? {}) as never);
    reply.code(201);
    return { session };
  });
  app.get<{ Params: Params }>("/api/sessions/:id", async (request) =>
    sessionRecord(scope(userOf(request).id), request.params.id),
  );
  app.post<{ Params: Params }>("/api/sessions/:id/end", async (request) => {
    const user = userOf(request);
    const body = (request.body ?? {}) as { summary?: string };
    return { session: await endSession(scope(user.id), { id: request.params.id, summary: body.summary }) };
  });
}
