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
import { api } from "@cairn/core/wire/api";
import type { AnswerOf } from "@cairn/core/wire/endpoint";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";
import { route } from "./typed-route";

/**
 * Webhooks (SPEC section 7): a user's own endpoints and inbound sources, the
 * delivery log, and `POST /api/webhooks/ingest`, which takes its body as raw
 * text (the signature covers the bytes as sent) and has no bearer token.
 */
export function webhookRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const scope = userScopes(deps);
  route(app, api.listWebhooks, async (_input, request) => listWebhooks(scope(userOf(request).id)));
  route(app, api.addWebhook, async ({ body }, request) => addWebhook(scope(userOf(request).id), body));
  route(app, api.removeWebhook, async ({ params }, request) => removeWebhook(scope(userOf(request).id), params.id));
  route(app, api.webhookDeliveries, async ({ query }, request) =>
    listWebhookDeliveries(scope(userOf(request).id), query),
  );
  route(app, api.addWebhookSource, async ({ body }, request) => addWebhookSource(scope(userOf(request).id), body));

  app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser("*", { parseAs: "string" }, (_request, body, done) => done(null, body));
    // The raw body (the signature covers its bytes), so this one is registered by hand, from the table.
    raw.route({
      method: api.ingest.method,
      url: api.ingest.path,
      handler: async (request, reply) => {
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
        reply.code(api.ingest.status ?? 200);
        return result satisfies AnswerOf<typeof api.ingest>;
      },
    });
  });
}
