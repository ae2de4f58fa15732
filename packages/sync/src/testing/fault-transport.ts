import type { HttpRequest, HttpResponse, HttpTransport } from "../http-transport";

/** Every failure the fault layer can put between the CLI and the server. */
export const faults = [
  "drop_request", // never reaches the server
  "drop_response", // the server committed; the answer is lost
  "duplicate", // the request arrives twice (both are applied or refused by the server)
  "delay", // arrives late
  "unauthorized", // 401
  "too_large", // 413 (only for batches of more than one row: a real 413 is about size)
  "rate_limited", // 429 with Retry-After
  "server_error", // 500
  "unavailable", // 503
  "timeout", // the server may have it; the client gives up waiting
  "cut_body", // 200 whose body is cut short
] as const;
export type Fault = (typeof faults)[number];

export type NetworkMode = "online" | "offline" | "flaky";

export interface FaultOptions {
  /** Seeded: the same seed replays the same faults. */
  random: () => number;
  mode: () => NetworkMode;
  /** Share of requests that fail in flaky mode. */
  faultRate?: number;
  /** Called for each injected fault (tests log them with the seed). */
  onFault?: (fault: Fault, request: HttpRequest) => void;
}

/**
 * A transport that wraps a real one (real HTTP on loopback) and injects
 * network and server faults, driven by a seeded generator. Tests use it to
 * show that no fault loses, doubles or misroutes a row.
 */
export function faultTransport(inner: HttpTransport, options: FaultOptions): HttpTransport {
  const rate = options.faultRate ?? 0.3;
  return async (request) => {
    const mode = options.mode();
    if (mode === "offline") throw networkError("connect ECONNREFUSED (offline)");
    if (mode === "online" || options.random() >= rate) return inner(request);
    const fault = pick(request, options.random);
    options.onFault?.(fault, request);
    switch (fault) {
      case "drop_request":
        throw networkError("socket hang up before sending");
      case "drop_response":
        await inner(request);
        throw networkError("socket hang up after the server answered");
      case "duplicate": {
        const [first] = await Promise.all([inner(request), inner(request)]);
        return first;
      }
      case "delay":
        await sleep(Math.floor(options.random() * 40));
        return inner(request);
      case "unauthorized":
        return errorReply(401, "unauthenticated", "Invalid, expired or revoked token");
      case "too_large":
        return errorReply(413, "payload_too_large", "Body over the limit");
      case "rate_limited":
        return errorReply(429, "rate_limited", "Too many requests", { "retry-after": "1" });
      case "server_error":
        return errorReply(500, "internal", "Internal error");
      case "unavailable":
        return errorReply(503, "unavailable", "Try later");
      case "timeout": {
        // Half the time the server got it before the client gave up.
        if (options.random() < 0.5) await inner(request);
        const error = new Error("The operation was aborted due to timeout");
        error.name = "TimeoutError";
        throw error;
      }
      case "cut_body": {
        const response = await inner(request);
        return { ...response, body: response.body.slice(0, Math.floor(response.body.length / 2)) };
      }
    }
  };
}

function pick(request: HttpRequest, random: () => number): Fault {
  const batch =
    request.body === undefined ? 0 : (JSON.parse(request.body) as { mutations?: unknown[] }).mutations?.length;
  const allowed = faults.filter((fault) => fault !== "too_large" || (batch ?? 0) > 1);
  return allowed[Math.floor(random() * allowed.length)] ?? "drop_request";
}

function networkError(message: string): Error {
  return Object.assign(new Error(message), { code: "ECONNRESET" });
}

function errorReply(status: number, code: string, message: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: JSON.stringify({ error: { code, message } }) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** mulberry32: a small seeded generator (the seed is printed when a test fails). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
