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
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/** Tasks over REST (SPEC section 4): thin adapters over the operations. */
export function taskRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  route(app, api.listTasks, async ({ query }, request) => {
    const result = await listTasks(scope(userOf(request).id), query);
    return { tasks: result.tasks, total: result.total };
  });
  route(app, api.addTask, async ({ body }, request) => ({ task: await addTask(scope(userOf(request).id), body) }));
  route(app, api.getTask, async ({ params }, request) => ({
    task: await getTask(scope(userOf(request).id), params.id),
  }));
  route(app, api.updateTask, async ({ params, body }, request) => ({
    task: await updateTask(scope(userOf(request).id), { ...body, id: params.id }),
  }));
  route(app, api.completeTask, async ({ params }, request) => ({
    task: await completeTask(scope(userOf(request).id), params.id),
  }));
  route(app, api.deleteTask, async ({ params }, request) => ({
    task: await deleteTask(scope(userOf(request).id), params.id),
  }));
  route(app, api.restoreTask, async ({ params }, request) => ({
    task: await restoreTask(scope(userOf(request).id), params.id),
  }));
}
