import { AppError } from "@cairn/core/app-error";
import { noNulMessage } from "@cairn/core/entities";
import type { FastifyInstance } from "fastify";

/** The path of the first string in `value` that holds a NUL character, or null. */
export function findNul(value: unknown, path: string): string | null {
  if (typeof value === "string") return value.includes("\u0000") ? path : null;
  if (value === null || typeof value !== "object") return null;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes("\u0000")) return `${path}.${key}`;
    const found = findNul(child, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/**
 * No request may bring a NUL character into Cairn (see `hasNoNul`): whatever route it
 * reaches, a body, query or path that holds one is refused with 422 naming where, before
 * the route runs. The push is the exception: each of its mutations is checked on its own,
 * so one bad row is rejected (and parked by its device) while the rest of the batch applies.
 */
export function refuseNul(app: FastifyInstance, exempt: Set<string>): void {
  app.addHook("preValidation", async (request) => {
    const route = request.routeOptions.url ?? "";
    const found =
      findNul(request.params, "path") ??
      findNul(request.query, "query") ??
      (exempt.has(route) ? null : findNul(request.body, "body"));
    if (found !== null) {
      throw new AppError("invalid_input", `${found}: ${noNulMessage}`, {
        details: { fields: [{ path: found, message: noNulMessage }] },
      });
    }
  });
}
