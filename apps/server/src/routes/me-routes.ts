import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";

/** `GET /api/me`: who the token belongs to (used by `cairn login`). */
export function meRoutes(app: FastifyInstance): void {
  app.get("/api/me", async (request) => {
    const user = userOf(request);
    // The CLI keeps the expiry so its preflight can say "log in again" before a push fails.
    return { user: { id: user.id, name: user.name }, token: { expiresAt: request.auth?.tokenExpiresAt ?? null } };
  });
}
