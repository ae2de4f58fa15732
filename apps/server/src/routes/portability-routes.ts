import { Readable } from "node:stream";
import { exportLines } from "@cairn/core/operations/portability";
import { importRows } from "@cairn/core/portability/import-rows";
import { userScopes } from "@cairn/core/user-scope";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

/** `GET /api/export` (streamed) and `POST /api/import` (batches of rows), issue 7. */
export function portabilityRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  app.get("/api/export", async (request, reply) => {
    const query = request.query as { format?: string };
    const userId = userOf(request).id;
    const lines = exportLines(scope(userId), request.query as never);
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
  });
  app.post("/api/import", async (request) => {
    const user = userOf(request);
    return importRows(scope(user.id), (request.body ?? {}) as never);
  });
}
