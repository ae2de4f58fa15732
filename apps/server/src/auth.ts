import { authenticate } from "@cairn/core/accounts/authenticate";
import type { Secrets } from "@cairn/core/accounts/secrets";
import { sessionCookie } from "@cairn/core/accounts/web-session";
import { AppError } from "@cairn/core/app-error";
import type { User } from "@cairn/core/entities";
import type { Store } from "@cairn/core/store/store-port";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    auth: { user: User; tokenId: string; tokenExpiresAt: string | null; via: "bearer" | "cookie" } | null;
  }
}

// Health, the login, and the ingest endpoint, which authenticates by its signature instead (see operations/webhooks.ts).
const publicRoutes = new Set(
  Object.values(api)
    .filter((endpoint) => endpoint.public)
    .map((endpoint) => `${endpoint.method} ${endpoint.path}`),
);

const reads = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Bearer auth (the CLI, MCP, scripts) or the web UI's session cookie, on everything under /api
 * and /mcp but the public endpoints: sets `request.auth` or answers 401. A write authenticated by the cookie must come
 * from the UI's own origin with a JSON body (see refuseCrossSite): SameSite=Strict alone lets a
 * form on another port of the same host through, since that is the same site.
 */
export function registerAuth(app: FastifyInstance, deps: { store: Store; secrets: Secrets; now: () => Date }): void {
  app.decorateRequest("auth", null);
  app.addHook("onRequest", async (request) => {
    const path = request.url.split("?")[0] ?? "";
    // The web UI's page and assets are public (they hold no data); everything under /api and /mcp is not.
    if (!/^\/(?:api|mcp)(?:\/|$)/.test(path)) return;
    const route = `${request.method === "HEAD" ? "GET" : request.method} ${path}`;
    if (publicRoutes.has(route)) {
      // Logging in from another site's page (login CSRF) is refused too.
      if (route === `${api.login.method} ${api.login.path}`) refuseCrossSite(request);
      return;
    }
    const bearer = bearerToken(request);
    const cookie = bearer === undefined ? request.cookies[sessionCookie] : undefined;
    const found = await authenticate(deps, bearer ?? cookie);
    request.auth = { ...found, via: bearer === undefined && cookie !== undefined ? "cookie" : "bearer" };
    if (request.auth.via === "cookie" && !reads.has(request.method)) refuseCrossSite(request);
  });
}

/**
 * A browser request that changes something must be the UI's own: `Sec-Fetch-Site: same-origin`
 * (every current browser sends it), or, without that header, an `Origin` equal to this server's;
 * and its body, if any, JSON (a cross-origin form can only send urlencoded, multipart or plain text).
 */
export function refuseCrossSite(request: FastifyRequest): void {
  const site = request.headers["sec-fetch-site"];
  const origin = request.headers.origin;
  const own = `${request.protocol}://${request.host}`;
  const sameOrigin = site !== undefined ? site === "same-origin" : origin === own;
  if (!sameOrigin) {
    throw new AppError(
      "forbidden",
      "Cross-site request refused: the session cookie works only from Cairn's own pages",
      {
        hint: "Scripts and other tools authenticate with a bearer token (Authorization: Bearer …) instead.",
      },
    );
  }
  const hasBody =
    Number(request.headers["content-length"] ?? 0) > 0 || request.headers["transfer-encoding"] !== undefined;
  const type = request.headers["content-type"] ?? "";
  if (hasBody && !/^application\/json\b/i.test(type)) {
    throw new AppError(
      "forbidden",
      "A request with the session cookie must send JSON (Content-Type: application/json)",
    );
  }
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The authenticated user of a route behind auth. */
export function userOf(request: FastifyRequest): User {
  if (!request.auth) throw new AppError("unauthenticated", "Missing bearer token");
  return request.auth.user;
}
