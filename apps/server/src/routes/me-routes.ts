import { listProjects } from "@cairn/core/operations/projects";
import { userScopes } from "@cairn/core/user-scope";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/** `GET /api/me`: who the token belongs to (used by `cairn login`); `GET /api/projects`: what the user's projects hold. */
export function meRoutes(app: FastifyInstance, deps: ServerDeps, admins: Set<string>): void {
  const scope = userScopes(deps);
  route(app, api.projects, async ({ query }, request) => listProjects(scope(userOf(request).id), query));
  route(app, api.me, async (_input, request) => {
    const user = userOf(request);
    // The CLI keeps the expiry so its preflight can say "log in again" before a push fails.
    return {
      user: { id: user.id, name: user.name },
      token: { expiresAt: request.auth?.tokenExpiresAt ?? null },
      admin: admins.has(user.name),
    };
  });
}
