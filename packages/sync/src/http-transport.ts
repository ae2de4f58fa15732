import type { IncomingMessage } from "node:http";

export interface HttpRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** How the sync client reaches the server; injectable (tests route it into the app in process). */
export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>;

/**
 * The default transport, on node:http(s). Not `fetch`: loading undici costs
 * about 20 ms of every CLI start that syncs (measured), a third of the budget.
 * `onRequestSent` runs once a request has been handed to the OS (crash tests
 * stop the CLI there: the server may or may not have it).
 */
export function createNodeHttpTransport(
  options: { onRequestSent?: (request: HttpRequest) => void } = {},
): HttpTransport {
  return (request) => send(request, options.onRequestSent);
}

export const nodeHttpTransport: HttpTransport = createNodeHttpTransport();

async function send(request: HttpRequest, onRequestSent?: (request: HttpRequest) => void): Promise<HttpResponse> {
  const { request: open } = request.url.protocol === "https:" ? await import("node:https") : await import("node:http");
  return new Promise<HttpResponse>((resolve, reject) => {
    const outgoing = open(
      request.url,
      {
        method: request.method,
        headers: {
          ...request.headers,
          ...(request.body === undefined ? {} : { "content-length": String(Buffer.byteLength(request.body)) }),
        },
        ...(request.signal ? { signal: request.signal } : {}),
      },
      (incoming: IncomingMessage) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const headers: Record<string, string | undefined> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            headers[name] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({ status: incoming.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString("utf8") });
        });
      },
    );
    outgoing.on("error", reject);
    if (onRequestSent) outgoing.on("finish", () => onRequestSent(request));
    if (request.body !== undefined) outgoing.write(request.body);
    outgoing.end();
  });
}
