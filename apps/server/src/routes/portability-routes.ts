import { Readable } from "node:stream";
import { exportLines } from "@cairn/core/operations/portability";
import { importRows } from "@cairn/core/portability/import-rows";
import { userScopes } from "@cairn/core/user-scope";
import { parseInput } from "@cairn/core/validate";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/** `GET /api/export` (streamed) and `POST /api/import` (batches of rows), issue 7. */
export function portabilityRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  // Streamed: registered by hand, from the table (its query parsed by the table's schema).
  app.route({
    method: api.exportRows.method,
    url: api.exportRows.path,
    handler: async (request, reply) => {
      const query = parseInput(api.exportRows.input.query, request.query ?? {});
      const userId = userOf(request).id;
      const lines = exportLines(scope(userId), query);
      // The first line is read before the status is sent, so a bad filter still answers 422.
      const first = await lines.next();
      reply.type(query.format === "cypher" ? "text/plain; charset=utf-8" : "application/x-ndjson");
      // About how many rows follow (the recovery's count; deleted rows are left out of an export): a client's progress.
      const counts = await deps.store.forUser(userId).countRows({});
      reply.header("x-cairn-rows-estimate", String(Object.values(counts).reduce((sum, count) => sum + count, 0)));
      return reply.send(
        Readable.from(
          (async function* () {
            if (!first.done) yield first.value;
            yield* lines;
          })(),
        ),
      );
    },
  });
  route(app, api.importRows, async ({ body }, request) => importRows(scope(userOf(request).id), body));
}
