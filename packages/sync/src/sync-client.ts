import { AppError } from "@cairn/core/app-error";
import type { api } from "@cairn/core/wire/api";
import { type Endpoint, type OutputOf, type RequestOf, urlOf } from "@cairn/core/wire/endpoint";
import { errorFromResponse, unreachable } from "@cairn/core/wire/error-body";
import type { PullResponse } from "@cairn/core/wire/pull";
import type { PushRequest, PushResponse } from "@cairn/core/wire/push";
import { type HttpResponse, type HttpTransport, nodeHttpTransport } from "./http-transport";

export interface SyncClientOptions {
  server: string;
  token: string;
  transport?: HttpTransport;
}

/** The table loads on first use: a CLI write whose push fails at connect never pays for building it. */
let table: typeof api | null = null;
async function apiTable(): Promise<typeof api> {
  table ??= (await import("@cairn/core/wire/api")).api;
  return table;
}

/**
 * The CLI's HTTP client of Cairn's API: every call goes through an endpoint of the table
 * (core/wire/api.ts), typed by it and its answer read through the endpoint's schema. Every
 * failure becomes an ApiError with a stable code.
 */
export class SyncClient {
  private readonly transport: HttpTransport;

  constructor(private readonly options: SyncClientOptions) {
    this.transport = options.transport ?? nodeHttpTransport;
  }

  /** One call of the API. */
  async call<E extends Endpoint>(endpoint: E, request: RequestOf<E>, signal?: AbortSignal): Promise<OutputOf<E>> {
    const given = request as { params?: Record<string, string>; query?: unknown; body?: unknown };
    const body = given.body === undefined ? undefined : JSON.stringify(given.body);
    return this.send(endpoint, urlOf(endpoint.path, given), body, signal);
  }

  async push(request: PushRequest, signal?: AbortSignal): Promise<PushResponse> {
    return this.pushBody(JSON.stringify(request), signal);
  }

  /** A push whose body is already serialised (the drain builds it from the outbox's stored JSON). */
  async pushBody(body: string, signal?: AbortSignal): Promise<PushResponse> {
    const { push } = await apiTable();
    return this.send(push, push.path, body, signal);
  }

  /** Changes after `cursor`; with `device`, without the entries that device pushed. */
  async pull(cursor: number, limit: number, signal?: AbortSignal, device?: string): Promise<PullResponse> {
    const { pull } = await apiTable();
    return this.call(pull, { query: { cursor, limit, ...(device ? { device } : {}) } }, signal);
  }

  private async send<E extends Endpoint>(
    endpoint: E,
    path: string,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<OutputOf<E>> {
    let response: HttpResponse;
    try {
      response = await this.transport({
        method: endpoint.method,
        url: new URL(path, this.options.server),
        headers: {
          authorization: `Bearer ${this.options.token}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body }),
        signal,
      });
    } catch (error) {
      throw unreachable(this.options.server, error);
    }
    const answer = parseJson(response.body);
    if (response.status < 200 || response.status >= 300) {
      throw errorFromResponse(response.status, answer, header(response, "retry-after"));
    }
    const parsed = endpoint.output.safeParse(answer);
    if (!parsed.success) {
      throw new AppError("upstream_error", `The server answered ${endpoint.path} with an unexpected body`, {
        cause: parsed.error,
      });
    }
    return parsed.data as OutputOf<E>;
  }
}

function header(response: HttpResponse, name: string): string | null {
  const value = response.headers[name];
  return value ?? null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
