import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  headers: IncomingMessage["headers"];
  body: string;
  event: { id: string; type: string; data: Record<string, unknown> };
  status: number;
}

/**
 * A real HTTP receiver for webhook tests: records every request and answers
 * what `answer` says (a status, or "hang" to never answer).
 */
export async function startReceiver(answer: (event: Received["event"], seen: number) => number | "hang" = () => 200) {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const seenById = new Map<string, number>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const event = JSON.parse(body) as Received["event"];
      const seen = (seenById.get(event.id) ?? 0) + 1;
      seenById.set(event.id, seen);
      const status = answer(event, seen);
      if (status === "hang") {
        hanging.push(response);
        received.push({ headers: request.headers, body, event, status: 0 });
        return;
      }
      received.push({ headers: request.headers, body, event, status });
      response.writeHead(status, { "content-type": "text/plain" });
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    /** Requests answered 2xx, by event type. */
    delivered: (type?: string) =>
      received.filter((each) => each.status >= 200 && each.status < 300 && (!type || each.event.type === type)),
    hangingCount: () => hanging.length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Verifies `Cairn-Signature: t=<t>,v1=<hex>` as a receiver would (the documented recipe). */
export function verifySignature(secret: string, header: string | undefined, rawBody: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header ?? "");
  if (!match) return false;
  const expected = createHmac("sha256", secret).update(`${match[1]}.${rawBody}`).digest("hex");
  return expected === match[2];
}

export async function until<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  ms = 15_000,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
