import type { Secrets } from "@cairn/core/accounts/secrets";
import type { Job } from "@cairn/core/jobs/job-entities";
import type { Store } from "@cairn/core/store-port";
import { signPayload } from "@cairn/core/webhooks/signature";
import type { JobHandler } from "../jobs/job-runner";

/** How long one delivery attempt may take before it counts as failed. */
const attemptTimeoutMs = 10_000;

/**
 * Deliveries one process sends to one endpoint at once: a receiver that hangs holds at most this
 * many of the runner's slots, and the other endpoints' deliveries go on (the rest wait, untried).
 */
const perEndpoint = 4;

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
  const inFlight = new Map<string, number>();
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
      if (!endpoint) {
        await record(deps, userId, deliveryId, {
          status: "dead",
          httpStatus: null,
          error: "the webhook was removed",
          durationMs: 0,
        });
        return undefined;
      }
      const busy = inFlight.get(endpoint.id) ?? 0;
      if (busy >= perEndpoint) return { deferMs: 250 };
      inFlight.set(endpoint.id, busy + 1);
      const { httpStatus, error, durationMs } = await postSigned(deps, endpoint, {
        body: delivery.body,
        eventType: delivery.eventType,
        deliveryId: delivery.id,
        signal: context.signal,
      }).finally(() => {
        const left = (inFlight.get(endpoint.id) ?? 1) - 1;
        if (left > 0) inFlight.set(endpoint.id, left);
        else inFlight.delete(endpoint.id);
      });
      if (error === null) {
        await record(deps, userId, deliveryId, { status: "delivered", httpStatus, error: null, durationMs });
        return undefined;
      }
      const last = job.attempts >= job.maxAttempts;
      await record(deps, userId, deliveryId, { status: last ? "dead" : "pending", httpStatus, error, durationMs });
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

function record(
  deps: { store: Store; now: () => Date },
  userId: string,
  deliveryId: string,
  attempt: {
    status: "pending" | "delivered" | "dead";
    httpStatus: number | null;
    error: string | null;
    durationMs: number;
  },
) {
  return deps.store.transaction((tx) =>
    tx.recordDeliveryAttempt(userId, deliveryId, { ...attempt, at: deps.now().toISOString() }),
  );
}
