/** Outbound webhooks and inbound sources (SPEC section 7). */

export const webhookEventTypes = [
  "entry.created",
  "memory.created",
  "memory.updated",
  "task.changed",
  "session.ended",
  "destruction.alert",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

export interface WebhookEndpoint {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdAt: string;
}

/** The endpoint with its signing secret: only the delivery job and the creating command see it. */
export interface WebhookEndpointWithSecret extends WebhookEndpoint {
  secret: string;
}

/** What a delivery POSTs: the event, its id (stable: a receiver can drop duplicates by it) and its data. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType | "webhook.test";
  createdAt: string;
  data: Record<string, unknown>;
}

export type DeliveryStatus = "pending" | "delivered" | "dead";

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastDurationMs: number | null;
  createdAt: string;
  updatedAt: string;
  deliveredAt: string | null;
}

export interface NewDelivery {
  id: string;
  endpointId: string;
  event: WebhookEvent;
  createdAt: string;
}

export interface DeliveryAttempt {
  status: DeliveryStatus;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  at: string;
}

export interface WebhookSource {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
}

export interface WebhookSourceWithSecret extends WebhookSource {
  secret: string;
}
