import {
  addTask,
  completeTask,
  deleteTask,
  getTask,
  listTasks,
  restoreTask,
  updateTask,
} from "@cairn/core/operations/tasks";
import { userScopes } from "@cairn/core/user-scope";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

type Params = { id: string };
type Query = Record<string, unknown>;

/** Tasks over REST (SPEC section 4): thin adapters over the operations. */
export function taskRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);

  app.get("/api/tasks", async (request) => {
    const result = await listTasks(scope(userOf(request).id), request.query as Query);
    return { tasks: result.tasks, total: result.total };
  });
  app.post("/api/tasks", async (request, reply) => {
    const user = userOf(request);
    const task = await addTask(scope(user.id), (request.body ?? {}) as never);
    reply.code(201);
    return { task };
  });
  app.get<{ Params: Params }>("/api/tasks/:id", async (request) => ({
    task: await getTask(scope(userOf(request).id), request.params.id),
  }));
  app.patch<{ Params: Params }>("/api/tasks/:id", async (request) => {
    const user = userOf(request);
    const body = (request.body ?? {}) as Query;
    return { task: await updateTask(scope(user.id), { ...body, id: request.params.id }) };
  });
  app.post<{ Params: Params }>("/api/tasks/:id/complete", async (request) => {
    const user = userOf(request);
    return { task: await completeTask(scope(user.id), request.params.id) };
  });
  app.delete<{ Params: Params }>("/api/tasks/:id", async (request) => {
    const user = userOf(request);
    return { task: await deleteTask(scope(user.id), request.params.id) };
  });
  app.post<{ Params: Params }>("/api/tasks/:id/restore", async (request) => {
    const user = userOf(request);
    return { task: await restoreTask(scope(user.id), request.params.id) };
  });
}
