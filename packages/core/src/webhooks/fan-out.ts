import type { Store, SystemTx } from "../store/store-port";
import { changeEvent } from "../synced/synced-types";
import type { WebhookEndpointWithSecret, WebhookEvent } from "./webhook-entities";

/** The consumer name of the webhook and session-summary scan in `feed_cursors`. */
export const eventsConsumer = "events";

/** Job kinds this module queues (their handlers live in the server). */
export const deliverKind = "webhook.deliver";
export const summarizeKind = "session.summarize";
export const alertKind = "webhook.alert";

/**
 * Queues one delivery of `event` to each endpoint subscribed to its type: a
 * delivery row (the log) and a `webhook.deliver` job, in the caller's
 * transaction. An endpoint that already has the event gets nothing new.
 */
export async function fanOut(
  tx: SystemTx,
  userId: string,
  event: WebhookEvent,
  endpoints: WebhookEndpointWithSecret[],
  ids: { newId: () => string; at: string },
): Promise<number> {
  let queued = 0;
  for (const endpoint of endpoints) {
    if (!endpoint.events.includes(event.type as never)) continue;
    const deliveryId = ids.newId();
    const added = await tx.forUser(userId).insertDelivery({
      id: deliveryId,
      endpointId: endpoint.id,
      event,
      createdAt: ids.at,
    });
    if (!added) continue;
    await tx.enqueueJob({
      id: ids.newId(),
      kind: deliverKind,
      userId,
      dedupeKey: null,
      // One partition per endpoint: a receiver that hangs holds only a few of a server's job slots.
      partitionKey: `webhook:${endpoint.id}`,
      payload: { deliveryId },
      maxAttempts: 8,
      runAt: ids.at,
      createdAt: ids.at,
    });
    queued += 1;
  }
  return queued;
}

/**
 * Reads one user's change feed from the events cursor: each new entry, new or
 * edited memory and changed task becomes deliveries to the endpoints that
 * want it, each ended session a `session.summarize` job (which fires
 * `session.ended` with the summary). The cursor moves in the same transaction,
 * so a crash repeats a batch at worst, and repeats queue nothing twice.
 */
export async function queueFeedEvents(
  deps: { store: Store; newId: () => string; now: () => Date },
  userId: string,
  options: { batchSize: number; maxBatches: number },
): Promise<{ deliveries: number; summaries: number; more: boolean }> {
  let deliveries = 0;
  let summaries = 0;
  const endpoints = await deps.store.forUser(userId).listWebhookEndpoints();
  for (let batch = 0; batch < options.maxBatches; batch++) {
    const cursor = await deps.store.forUser(userId).feedCursor(eventsConsumer);
    const changes = await deps.store.forUser(userId).changesSince(cursor, options.batchSize);
    if (changes.length === 0) return { deliveries, summaries, more: false };
    const at = deps.now().toISOString();
    await deps.store.system.transaction(async (tx) => {
      for (const change of changes) {
        if (change.type === "session") {
          if (change.session.endedAt === null) continue;
          const queued = await tx.enqueueJob({
            id: deps.newId(),
            kind: summarizeKind,
            userId,
            dedupeKey: `${summarizeKind}:${change.session.id}`,
            payload: { sessionId: change.session.id },
            maxAttempts: 8,
            runAt: at,
            createdAt: at,
          });
          if (queued) summaries += 1;
          continue;
        }
        if (endpoints.length === 0) continue;
        const event = changeEvent(change);
        if (event) deliveries += await fanOut(tx, userId, event, endpoints, { newId: deps.newId, at });
      }
      await tx.forUser(userId).setFeedCursor(eventsConsumer, changes[changes.length - 1]?.seq ?? cursor);
    });
    if (changes.length < options.batchSize) return { deliveries, summaries, more: false };
    // Let requests in between batches: without a macrotask boundary, every batch would run back to back
    // in one turn of the event loop while writes wait.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { deliveries, summaries, more: true };
}
