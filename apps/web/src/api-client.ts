import type { Endpoint, OutputOf, RequestOf } from "@cairn/core/wire/endpoint";
import { urlOf } from "@cairn/core/wire/endpoint";
import { errorFromResponse } from "@cairn/core/wire/error-body";

/**
 * The page's client of the API table (core/wire/api.ts; the page's build keeps only each endpoint's
 * method and path): same origin, the session cookie (the page never holds a token), JSON both
 * ways, errors decoded by the one decoder every client uses.
 * A 401 means the session ended: `onSignedOut` takes the page back to the login.
 */
export const session = { onSignedOut: () => {} };

export async function call<E extends Endpoint>(endpoint: E, request: RequestOf<E>): Promise<OutputOf<E>> {
  const parts = request as { params?: Record<string, string>; query?: unknown; body?: unknown };
  const response = await fetch(urlOf(endpoint.path, parts), {
    method: endpoint.method,
    credentials: "same-origin",
    headers: parts.body === undefined ? {} : { "content-type": "application/json" },
    ...(parts.body === undefined ? {} : { body: JSON.stringify(parts.body) }),
  });
  const text = await response.text();
  const body: unknown = text === "" ? null : JSON.parse(text);
  if (!response.ok) {
    if (response.status === 401 && endpoint.path !== "/api/session") session.onSignedOut();
    throw errorFromResponse(response.status, body, response.headers.get("retry-after"));
  }
  // Typed by the endpoint table; not parsed again here (the page loads no zod: scripts/build.mjs).
  return body as OutputOf<E>;
}
