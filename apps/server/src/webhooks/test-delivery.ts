import type { Secrets } from "@cairn/core/accounts/secrets";
import { AppError } from "@cairn/core/app-error";
import type { Store } from "@cairn/core/store/store-port";
import type { AddressPolicy } from "@cairn/core/webhooks/address-policy";
import type { WebhookEvent } from "@cairn/core/webhooks/webhook-entities";
import { postSigned } from "./delivery-job";

/** `cairn admin webhook test`: one signed `webhook.test` event, sent now (not queued, not logged as a delivery). */
export async function sendTestEvent(
  deps: {
    store: Store;
    secrets: Secrets;
    now: () => Date;
    newId: () => string;
    webhookPolicy?: AddressPolicy | undefined;
  },
  userId: string,
  endpointId: string,
) {
  const endpoint = await deps.store.forUser(userId).getWebhookEndpoint(endpointId);
  if (!endpoint) throw new AppError("not_found", `No webhook ${endpointId}`);
  const event: WebhookEvent = {
    id: `webhook.test:${deps.newId()}`,
    type: "webhook.test",
    createdAt: deps.now().toISOString(),
    data: { webhook: endpoint.id, message: "A test event from Cairn: the signature verifies with your secret." },
  };
  const result = await postSigned(deps, endpoint, {
    body: JSON.stringify(event),
    eventType: event.type,
    deliveryId: event.id,
  });
  return { webhook: endpoint.id, event: event.id, ...result };
}
