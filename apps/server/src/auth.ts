import { authenticate } from "@cairn/core/accounts/authenticate";
import type { Secrets } from "@cairn/core/accounts/secrets";
import { AppError } from "@cairn/core/app-error";
import type { User } from "@cairn/core/entities";
import type { Store } from "@cairn/core/store/store-port";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    auth: { user: User; tokenId: string; tokenExpiresAt: string | null } | null;
  }
}

// Health, and the ingest endpoint, which authenticates by its signature instead (see operations/webhooks.ts).
const publicPaths = new Set(
  Object.values(api)
    .filter((endpoint) => endpoint.public)
    .map((endpoint) => endpoint.path),
);

/** Bearer auth on everything but health: sets `request.auth` or answers 401. */
export function registerAuth(app: FastifyInstance, deps: { store: Store; secrets: Secrets; now: () => Date }): void {
  app.decorateRequest("auth", null);
  app.addHook("onRequest", async (request) => {
    if (publicPaths.has(request.url.split("?")[0] ?? "")) return;
    request.auth = await authenticate(deps, bearerToken(request));
  });
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
