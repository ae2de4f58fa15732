import { type LookupAddress, type LookupOptions, lookup } from "node:dns";
import type { Secrets } from "@cairn/core/accounts/secrets";
import type { Job } from "@cairn/core/jobs/job-entities";
import type { Store } from "@cairn/core/store/store-port";
import {
  type AddressPolicy,
  defaultAddressPolicy,
  hostAllowedOnAnyPort,
  refusedAddress,
  refusedTarget,
} from "@cairn/core/webhooks/address-policy";
import { signPayload } from "@cairn/core/webhooks/signature";
import type { DeliveryAttempt } from "@cairn/core/webhooks/webhook-entities";
import { Agent, request } from "undici";
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
export function deliveryJob(deps: DeliveryDeps): JobHandler {
  return {
    kind: "webhook.deliver",
    maxAttempts: deliveryAttempts,
    timeoutMs: attemptTimeoutMs + 5_000,
    async run(job: Job, context) {
      const userId = job.userId ?? "";
      const { deliveryId } = job.payload as unknown as DeliveryPayload;
      const delivery = await deps.store.forUser(userId).getDelivery(deliveryId);
      if (delivery?.status !== "pending") return undefined;
      const endpoint = await deps.store.forUser(userId).getWebhookEndpoint(delivery.endpointId);
      const record = (attempt: Omit<DeliveryAttempt, "at">) =>
        context.withOutcome((tx) =>
          tx.forUser(userId).recordDeliveryAttempt(deliveryId, { ...attempt, at: deps.now().toISOString() }),
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

/** What a delivery needs: the store, signing, the clock, and where webhooks may go. */
export interface DeliveryDeps {
  store: Store;
  secrets: Secrets;
  now: () => Date;
  /** Which hosts a webhook may reach (default: no internal address). */
  webhookPolicy?: AddressPolicy | undefined;
  /** How names are resolved when a delivery connects (default: the system's, dns.lookup). */
  resolveHost?: typeof lookup | undefined;
}

/**
 * Connections to receivers, kept alive between deliveries, one pool per address policy.
 * undici's `request` rather than `fetch`: no WHATWG streams or per-request abort signals,
 * about half the CPU per delivery (measured in the fan-out benchmark). Connecting, the
 * answer's headers and each wait for its body get 10 s each; the job's own limit (15 s)
 * ends an attempt whose receiver trickles. A name is resolved when the connection is made
 * and refused when any address it gives is internal (the URL's text was checked when the
 * webhook was added, but a name may point anywhere by the time it is used).
 */
const receiverPools = new WeakMap<typeof lookup, Map<AddressPolicy, Agent>>();

function receiversFor(policy: AddressPolicy, resolve: typeof lookup): Agent {
  let pools = receiverPools.get(resolve);
  if (!pools) {
    pools = new Map();
    receiverPools.set(resolve, pools);
  }
  let agent = pools.get(policy);
  if (!agent) {
    agent = new Agent({
      connect: { timeout: attemptTimeoutMs, lookup: checkedLookup(policy, resolve) as never },
      headersTimeout: attemptTimeoutMs,
      bodyTimeout: attemptTimeoutMs,
    });
    pools.set(policy, agent);
  }
  return agent;
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup, refusing every answer that holds an internal address unless the host is allowed by name. */
export function checkedLookup(policy: AddressPolicy, resolve: typeof lookup = lookup) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      const refused = hostAllowedOnAnyPort(policy, hostname)
        ? undefined
        : addresses.map((found) => refusedAddress(hostname, found.address)).find((reason) => reason !== null);
      if (refused) return callback(Object.assign(new Error(`refused: ${refused}`), { code: "ECAIRNREFUSED" }), "", 0);
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      return callback(null, first?.address ?? "", first?.family ?? 4);
    });
  };
}

const timeoutCodes = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

/** One signed POST of a body to an endpoint: its status, an error when it was not a 2xx, and how long it took. */
export async function postSigned(
  deps: Pick<DeliveryDeps, "secrets" | "now" | "webhookPolicy" | "resolveHost">,
  endpoint: { url: string; secret: string },
  send: { body: string; eventType: string; deliveryId: string; signal?: AbortSignal | undefined },
): Promise<{ httpStatus: number | null; error: string | null; durationMs: number }> {
  const started = performance.now();
  let httpStatus: number | null = null;
  let error: string | null = null;
  const policy = deps.webhookPolicy ?? defaultAddressPolicy;
  // An address in the URL itself is never looked up: it is checked here (the policy may have changed since it was added).
  const refused = refusedTarget(endpoint.url, policy);
  if (refused !== null) return { httpStatus, error: `refused: ${refused}`, durationMs: 0 };
  try {
    const response = await request(endpoint.url, {
      method: "POST",
      dispatcher: receiversFor(policy, deps.resolveHost ?? lookup),
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
      // Redirects are not followed (undici's default): a delivery goes to the URL that was registered.
      ...(send.signal ? { signal: send.signal } : {}),
    });
    httpStatus = response.statusCode;
    await response.body.dump().catch(() => undefined);
    if (httpStatus < 200 || httpStatus >= 300) error = `the receiver answered ${httpStatus}`;
  } catch (failure) {
    const code = (failure as { code?: unknown }).code;
    const cause =
      failure instanceof Error ? ((failure.cause as Error | undefined)?.message ?? failure.message) : String(failure);
    error =
      typeof code === "string" && timeoutCodes.has(code)
        ? `no answer within ${attemptTimeoutMs / 1000} s`
        : /^refused: /.test(cause)
          ? cause
          : `the request failed: ${cause}`;
  }
  return { httpStatus, error, durationMs: performance.now() - started };
}
