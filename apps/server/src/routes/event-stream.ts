import type { FastifyReply, FastifyRequest } from "fastify";
import { securityHeaders } from "../security-headers";

/**
 * Takes the reply over as a server-sent event stream (chat turns, oracle
 * answers): `send(event, data)` writes one event, `end()` closes it. The
 * status is 200 from here on; a failure is an `error` event.
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply) {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": request.id,
    // A hijacked reply skips the onSend hook that sets these on every other answer.
    ...securityHeaders,
  });
  return {
    /** One event; with `id`, a browser that reconnects sends it back as `Last-Event-ID`. */
    send(event: string, data: unknown, id?: string) {
      if (!raw.writableEnded)
        raw.write(`${id === undefined ? "" : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    end() {
      raw.end();
    },
  };
}
