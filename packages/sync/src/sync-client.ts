import { AppError, codeForStatus, type ErrorCode, errorCodes } from "@cairn/core/app-error";
import type { PullResponse } from "@cairn/core/wire/pull";
import type { PushRequest, PushResponse } from "@cairn/core/wire/push";
import type { z } from "zod";
import { type HttpResponse, type HttpTransport, nodeHttpTransport } from "./http-transport";

export interface SyncClientOptions {
  server: string;
  token: string;
  transport?: HttpTransport;
}

/** A failed call; `retryAfterMs` is set when the server said when to come back. */
export class TransportError extends AppError {
  retryAfterMs: number | undefined;
}

/** The HTTP client of the sync protocol. Every failure becomes an AppError with a stable code. */
export class SyncClient {
  private readonly transport: HttpTransport;

  constructor(private readonly options: SyncClientOptions) {
    this.transport = options.transport ?? nodeHttpTransport;
  }

  // The response schemas load on first use: a CLI write whose push fails at
  // connect never pays for building them.
  async push(request: PushRequest, signal?: AbortSignal): Promise<PushResponse> {
    return this.pushBody(JSON.stringify(request), signal);
  }

  /** A push whose body is already serialised (the drain builds it from the outbox's stored JSON). */
  async pushBody(body: string, signal?: AbortSignal): Promise<PushResponse> {
    const { pushResponseSchema } = await import("@cairn/core/wire/push");
    return this.call("POST", "/api/sync/push", pushResponseSchema, { body, signal });
  }

  /** Changes after `cursor`; with `device`, without the entries that device pushed. */
  async pull(cursor: number, limit: number, signal?: AbortSignal, device?: string): Promise<PullResponse> {
    const { pullResponseSchema } = await import("@cairn/core/wire/pull");
    const query = `cursor=${cursor}&limit=${limit}${device ? `&device=${encodeURIComponent(device)}` : ""}`;
    return this.call("GET", `/api/sync/pull?${query}`, pullResponseSchema, { signal });
  }

  /** Any JSON route of the API (used by login, remote search, alerts, audit). */
  async get(path: string, signal?: AbortSignal): Promise<unknown> {
    return this.call("GET", path, null, { signal });
  }

  async post(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    return this.call("POST", path, null, { body: JSON.stringify(body ?? {}), signal });
  }

  private async call<Schema extends z.ZodType>(
    method: string,
    path: string,
    schema: Schema | null,
    options: { body?: string; signal?: AbortSignal | undefined },
  ): Promise<z.infer<Schema>> {
    let response: HttpResponse;
    try {
      response = await this.transport({
        method,
        url: new URL(path, this.options.server),
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(options.body === undefined ? {} : { body: options.body }),
        signal: options.signal,
      });
    } catch (error) {
      const aborted = (error as Error).name === "TimeoutError" || (error as Error).name === "AbortError";
      throw new TransportError(
        aborted ? "timeout" : "unavailable",
        aborted ? `The server at ${this.options.server} did not answer in time` : `Cannot reach ${this.options.server}`,
        { cause: error },
      );
    }
    const body = parseJson(response.body);
    if (response.status < 200 || response.status >= 300) throw responseError(response, body);
    if (schema === null) return body as z.infer<Schema>;
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new AppError("upstream_error", `The server answered ${path} with an unexpected body`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function responseError(response: HttpResponse, body: unknown): TransportError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  const code =
    typeof error?.code === "string" && error.code in errorCodes
      ? (error.code as ErrorCode)
      : codeForStatus(response.status);
  const message = typeof error?.message === "string" ? error.message : `HTTP ${response.status}`;
  const failure = new TransportError(code, message, {
    details: { status: response.status, ...(error?.details ? { server: error.details } : {}) },
  });
  const retryAfter = Number(response.headers["retry-after"]);
  if (Number.isFinite(retryAfter) && retryAfter > 0) failure.retryAfterMs = retryAfter * 1000;
  return failure;
}
