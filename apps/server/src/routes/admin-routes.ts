import { AppError } from "@cairn/core/app-error";
import { listJobs, retryJob } from "@cairn/core/operations/jobs";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/** The names of CAIRN_ADMIN_USERS ("admin, ops" → {admin, ops}). */
export function adminNames(list: string): Set<string> {
  return new Set(
    list
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== ""),
  );
}

/**
 * The server's administration over HTTP (the web UI's Jobs page): the durable job table of every
 * user, and a retry of a dead job. Only the users named in CAIRN_ADMIN_USERS; anyone else gets 403.
 */
export function adminRoutes(app: FastifyInstance, deps: ServerDeps, admins: Set<string>): void {
  const adminOnly = (request: FastifyRequest) => {
    const user = userOf(request);
    if (!admins.has(user.name)) {
      throw new AppError("forbidden", "Only an administrator of this server sees its jobs", {
        hint: "The server's administrators are named in CAIRN_ADMIN_USERS (default: admin).",
      });
    }
  };
  route(app, api.adminJobs, async ({ query }, request) => {
    adminOnly(request);
    return listJobs({ jobs: deps.store.system, now: deps.now }, query);
  });
  route(app, api.retryJob, async ({ params }, request) => {
    adminOnly(request);
    return retryJob({ jobs: deps.store.system, now: deps.now }, params.id);
  });
}
