import type { AccountDeps } from "@cairn/core/accounts/create-user";
import { endWebSession, sessionCookie, startWebSession } from "@cairn/core/accounts/web-session";
import { AppError } from "@cairn/core/app-error";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { userOf } from "../auth";
import { route } from "./typed-route";

/** Secure when the browser reached us over TLS (directly, or through a proxy that says so). */
function overTls(request: FastifyRequest): boolean {
  return request.protocol === "https" || request.headers["x-forwarded-proto"] === "https";
}

/**
 * The web UI's login and logout. `POST /api/session` {token}: the API token is checked and a
 * session cookie set (HttpOnly, SameSite=Strict, Secure over TLS, Path=/, expiring with the
 * session); the page never holds the token. `DELETE /api/session`: the session is revoked and the
 * cookie cleared.
 */
export function sessionRoutes(app: FastifyInstance, deps: AccountDeps): void {
  route(app, api.login, async ({ body }, request, reply) => {
    const { secret, user, expiresAt } = await startWebSession(deps, body);
    reply.setCookie(sessionCookie, secret, {
      httpOnly: true,
      sameSite: "strict",
      secure: overTls(request),
      path: "/",
      expires: new Date(expiresAt),
    });
    return { user: { id: user.id, name: user.name }, expiresAt };
  });
  route(app, api.logout, async (_input, request, reply) => {
    const user = userOf(request);
    if (request.auth?.via !== "cookie") {
      throw new AppError("bad_request", "Logout ends a browser session; this request has none", {
        hint: "An API token is revoked with `cairn admin token revoke`.",
      });
    }
    await endWebSession(deps, { userId: user.id, tokenId: request.auth.tokenId });
    reply.clearCookie(sessionCookie, { path: "/", httpOnly: true, sameSite: "strict", secure: overTls(request) });
    return { loggedOut: true };
  });
}
