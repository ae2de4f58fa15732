import * as z from "zod";
import type { Secrets } from "../accounts/secrets";
import { AppError } from "../app-error";
import { entryContentSchema, idSchema, plainText, slugSchema } from "../entities";
import type { SystemStore, UserStore, UserTx } from "../store/store-port";
import type { WebhookReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { type AddressPolicy, defaultAddressPolicy, refusedTarget } from "../webhooks/address-policy";
import { parseSignature, signatureHeader } from "../webhooks/signature";
import { type WebhookEndpoint, webhookEventTypes } from "../webhooks/webhook-entities";
import { type AppendEntryInput, appendEntry } from "./append-entry";
import { type MemoryWriteDeps, remember, rememberInput } from "./memories";

interface WebhookDeps {
  /** The user whose webhooks these are. */
  store: UserStore;
  secrets: Secrets;
  newId: () => string;
  now: () => Date;
  /** Which hosts a webhook may reach (default: no internal address). */
  webhookPolicy?: AddressPolicy | undefined;
}

export const addWebhookInput = z.object({
  url: z
    .string()
    .max(2000)
    .url()
    .refine((url) => /^https?:\/\//i.test(url), "must be an http or https URL"),
  events: z.array(z.enum(webhookEventTypes)).min(1, "name at least one event").max(webhookEventTypes.length),
});

/**
 * A new endpoint for the user's events; its signing secret is returned once and never shown
 * again. An internal address is refused (see address-policy.ts) unless an administrator allowed its host.
 */
export async function addWebhook(deps: WebhookDeps, input: z.input<typeof addWebhookInput>) {
  const parsed = parseInput(addWebhookInput, input);
  const refused = refusedTarget(parsed.url, deps.webhookPolicy ?? defaultAddressPolicy);
  if (refused !== null) {
    throw new AppError("invalid_input", `url: refused: ${refused} (an administrator can allow it)`, {
      details: { fields: [{ path: "url", message: `refused: ${refused}` }] },
      hint: "Webhooks may not reach this server's own machine or network. An administrator can allow a host with CAIRN_WEBHOOK_ALLOW_HOSTS (e.g. 127.0.0.1:5678 for n8n on this machine).",
    });
  }
  const endpoint = {
    id: deps.newId(),
    url: parsed.url,
    events: [...new Set(parsed.events)],
    secret: deps.secrets.generateSecret("whsec"),
    createdAt: deps.now().toISOString(),
  };
  await deps.store.transaction((tx) => tx.putWebhookEndpoint(endpoint));
  const { secret, ...webhook } = endpoint;
  return { webhook, secret };
}

export async function listWebhooks(deps: { store: WebhookReads }) {
  const endpoints = await deps.store.listWebhookEndpoints();
  const webhooks: WebhookEndpoint[] = endpoints.map(({ secret: _secret, ...endpoint }) => endpoint);
  return { webhooks, total: webhooks.length };
}

export async function removeWebhook(deps: WebhookDeps, id: string) {
  const removed = await deps.store.transaction((tx) => tx.deleteWebhookEndpoint(id));
  if (!removed) throw new AppError("not_found", `No webhook ${id}`);
  return { removed: id };
}

export const listDeliveriesInput = z.object({
  webhook: idSchema.optional(),
  status: z.enum(["pending", "delivered", "dead"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

/** The delivery log: each event sent to each endpoint, with its attempts, last status code and timing. */
export async function listWebhookDeliveries(deps: { store: WebhookReads }, input: z.input<typeof listDeliveriesInput>) {
  const parsed = parseInput(listDeliveriesInput, input);
  return deps.store.listDeliveries({
    endpointId: parsed.webhook,
    status: parsed.status,
    limit: parsed.limit,
    offset: parsed.offset,
  });
}

export const addSourceInput = z.object({ name: plainText().min(1).max(100) });

/** A new inbound source (a flow that posts to /api/webhooks/ingest); its secret is shown once. */
export async function addWebhookSource(deps: WebhookDeps, input: z.input<typeof addSourceInput>) {
  const parsed = parseInput(addSourceInput, input);
  const source = {
    id: deps.newId(),
    userId: deps.store.userId,
    name: parsed.name,
    secret: deps.secrets.generateSecret("whsrc"),
    createdAt: deps.now().toISOString(),
  };
  await deps.store.transaction((tx) => tx.system.putWebhookSource(source));
  return { source: { id: source.id, name: source.name, createdAt: source.createdAt }, secret: source.secret };
}

/** How old a signed request may be (and how long its signature is remembered against replays). */
export const replayWindowMs = 5 * 60_000;

export const ingestBody = z.discriminatedUnion("type", [
  rememberInput.pick({ content: true, kind: true, tags: true }).extend({
    type: z.literal("memory"),
    project: slugSchema,
  }),
  z.object({
    type: z.literal("entry"),
    project: slugSchema,
    thread: slugSchema,
    content: entryContentSchema,
    author: plainText().max(200).optional(),
  }),
]);

/**
 * `POST /api/webhooks/ingest`: a memory or an entry posted by an outside
 * flow, for the user that owns the source. The signature (over the timestamp
 * and the raw body, as outbound deliveries are signed) is checked in constant
 * time; a timestamp outside 5 minutes, or a signature seen before, is refused
 * like a wrong one, with nothing that tells an attacker which check failed.
 */
export async function ingestWebhook(
  deps: Pick<WebhookDeps, "secrets" | "now"> & {
    /** The request names its source, which may be any user's: found across users, then written as its owner. */
    system: Pick<SystemStore, "findWebhookSource">;
    writerFor: (userId: string, options: { before: (tx: UserTx) => Promise<void> }) => MemoryWriteDeps;
  },
  request: { sourceId: string | undefined; signature: string | undefined; rawBody: string },
) {
  const refused = () => new AppError("unauthenticated", "The request's signature is not valid");
  const signature = parseSignature(request.signature);
  const source =
    request.sourceId && idSchema.safeParse(request.sourceId).success
      ? await deps.system.findWebhookSource(request.sourceId)
      : null;
  // The HMAC is computed even for an unknown source, so timing does not tell which sources exist.
  const expected = deps.secrets.hmacSha256(
    source?.secret ?? "unknown-source",
    `${signature?.t ?? 0}.${request.rawBody}`,
  );
  const valid = signature !== null && deps.secrets.safeEqual(expected, signature.v1) && source !== null;
  if (!valid || !source || !signature) throw refused();
  const now = deps.now().getTime();
  if (Math.abs(now - signature.t * 1000) > replayWindowMs) throw refused();
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch {
    throw new AppError("malformed_json", "The body is not valid JSON");
  }
  const parsed = parseInput(ingestBody, body);
  // The signature is recorded in the transaction that writes the row: a request whose write
  // failed (a 5xx) left no trace, so its retry is taken, and one that wrote is a replay after.
  const writer = deps.writerFor(source.userId, {
    before: async (tx) => {
      const fresh = await tx.system.recordIngestSignature(
        source.id,
        signature.v1,
        new Date(now).toISOString(),
        new Date(now - 2 * replayWindowMs).toISOString(),
      );
      if (!fresh) throw refused();
    },
  });
  if (parsed.type === "memory") {
    const memory = await remember(writer, {
      project: parsed.project,
      content: parsed.content,
      kind: parsed.kind,
      tags: parsed.tags,
    });
    return { created: { type: "memory" as const, id: memory.id }, source: source.id };
  }
  const input: AppendEntryInput = {
    project: parsed.project,
    thread: parsed.thread,
    content: parsed.content,
    author: parsed.author ?? `webhook:${source.name}`,
  };
  const entry = await appendEntry(writer, input);
  return { created: { type: "entry" as const, id: entry.id }, source: source.id };
}

export { signatureHeader };
