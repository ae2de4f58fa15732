import {
  addWebhook,
  addWebhookSource,
  ingestWebhook,
  listWebhookDeliveries,
  listWebhooks,
  removeWebhook,
  signatureHeader,
} from "@cairn/core/operations/webhooks";
import { userScopes } from "@cairn/core/user-scope";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

type Params = { id: string };

/**
 * Webhooks (SPEC section 7): a user's own endpoints and inbound sources, the
 * delivery log, and `POST /api/webhooks/ingest`, which takes its body as raw
 * text (the signature covers the bytes as sent) and has no bearer token.
 */
export function webhookRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  app.get("/api/webhooks", async (request) => listWebhooks(scope(userOf(request).id)));
  app.post("/api/webhooks", async (request, reply) => {
    const created = await addWebhook(scope(userOf(request).id), (request.body ?? {}) as never);
    reply.code(201);
    return created;
  });
  app.delete<{ Params: Params }>("/api/webhooks/:id", async (request) =>
    removeWebhook(scope(userOf(request).id), request.params.id),
  );
  app.get("/api/webhooks/deliveries", async (request) =>
    listWebhookDeliveries(scope(userOf(request).id), request.query as never),
  );
  app.post("/api/webhooks/sources", async (request, reply) => {
    const created = await addWebhookSource(scope(userOf(request).id), (request.body ?? {}) as never);
    reply.code(201);
    return created;
  });

  app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
    raw.post("/api/webhooks/ingest", async (request, reply) => {
      const header = (name: string) => {
        const value = request.headers[name];
        return Array.isArray(value) ? value[0] : value;
      };
      const result = await ingestWebhook(
        { system: deps.store.system, secrets: deps.secrets, now: deps.now, writerFor: scope },
        {
          sourceId: header("cairn-source"),
          signature: header(signatureHeader),
          rawBody: typeof request.body === "string" ? request.body : "",
        },
      );
      reply.code(201);
      return result;
    });
  });
}
