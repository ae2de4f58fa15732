import type { Secrets } from "@cairn/core/accounts/secrets";
import type { Job } from "@cairn/core/jobs/job-entities";
import type { Store } from "@cairn/core/store-port";
import { signPayload } from "@cairn/core/webhooks/signature";
import type { DeliveryAttempt } from "@cairn/core/webhooks/webhook-entities";
import type { JobHandler } from "../jobs/job-runner";

/** How long one delivery attempt may take before it counts as failed. */
const attemptTimeoutMs = 10_000;

/** Attempts per delivery (SPEC section 7): 1 s doubling to 5 minutes between them, then dead. */
export const deliveryAttempts = 8;

export interface DeliveryPayload {
  deliveryId: string;
}

/**
 * `webhook.deliver`: one signed POST of one event to one endpoint. The body
 * is the stored event, byte for byte on every attempt; `Cairn-Signature` is
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. Any 2xx is
 * delivered; anything else (or no answer within 10 s) is logged with its
 * status and time and retried by the job runner, until the last attempt
 * marks the delivery dead.
 */
export function deliveryJob(deps: { store: Store; secrets: Secrets; now: () => Date }): JobHandler {
  return {
    kind: "webhook.deliver",
    maxAttempts: deliveryAttempts,
    timeoutMs: attemptTimeoutMs + 5_000,
    async run(job: Job, context) {
      const userId = job.userId ?? "";
      const { deliveryId } = job.payload as unknown as DeliveryPayload;
      const delivery = await deps.store.getDelivery(userId, deliveryId);
      if (delivery?.status !== "pending") return undefined;
      const endpoint = await deps.store.getWebhookEndpoint(userId, delivery.endpointId);
      const record = (attempt: Omit<DeliveryAttempt, "at">) =>
        context.withOutcome((tx) =>
          tx.recordDeliveryAttempt(userId, deliveryId, { ...attempt, at: deps.now().toISOString() }),
        );
      if (!endpoint) {
        record({ status: "dead", httpStatus: null, error: "the webhook was removed", durationMs: 0 });
        return undefined;
      }
      const { httpStatus, error, durationMs } = await postSigned(deps, endpoint, {
        body: delivery.body,
        eventType: delivery.eventType,
        deliveryId: delivery.id,
        signal: context.signal,
      });
      if (error === null) {
        record({ status: "delivered", httpStatus, error: null, durationMs });
        return undefined;
      }
      // Logged with the job's outcome: retried (pending) or, on the last attempt, dead.
      record({ status: job.attempts >= job.maxAttempts ? "dead" : "pending", httpStatus, error, durationMs });
      throw new Error(error);
    },
  };
}

/** One signed POST of a body to an endpoint: its status, an error when it was not a 2xx, and how long it took. */
export async function postSigned(
  deps: { secrets: Secrets; now: () => Date },
  endpoint: { url: string; secret: string },
  send: { body: string; eventType: string; deliveryId: string; signal?: AbortSignal | undefined },
): Promise<{ httpStatus: number | null; error: string | null; durationMs: number }> {
  const started = performance.now();
  let httpStatus: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Cairn-Webhooks/1",
        "cairn-event": send.eventType,
        "cairn-delivery": send.deliveryId,
        "cairn-signature": signPayload(
          deps.secrets,
          endpoint.secret,
          send.body,
          Math.floor(deps.now().getTime() / 1000),
        ),
      },
      body: send.body,
      redirect: "manual",
      signal: send.signal
        ? AbortSignal.any([send.signal, AbortSignal.timeout(attemptTimeoutMs)])
        : AbortSignal.timeout(attemptTimeoutMs),
    });
    httpStatus = response.status;
    await response.arrayBuffer().catch(() => undefined);
    if (response.status < 200 || response.status >= 300) error = `the receiver answered ${response.status}`;
  } catch (failure) {
    const cause =
      failure instanceof Error ? ((failure.cause as Error | undefined)?.message ?? failure.message) : String(failure);
    error =
      failure instanceof Error && failure.name === "TimeoutError"
        ? `no answer within ${attemptTimeoutMs / 1000} s`
        : `the request failed: ${cause}`;
  }
  return { httpStatus, error, durationMs: performance.now() - started };
}
