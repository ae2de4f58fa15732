import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { AppError } from "@cairn/core/app-error";
import { afterEach, describe, expect, it } from "vitest";
import { postForEvents } from "./event-stream";

/** A real HTTP server on loopback that answers with the given byte chunks, flushed one by one. */
async function serve(status: number, chunks: Buffer[], contentType = "text/event-stream") {
  const server = createServer(async (request, response) => {
    let body = "";
    for await (const part of request) body += part;
    received.push({ body, accept: request.headers.accept, type: request.headers["content-type"] });
    response.writeHead(status, { "content-type": contentType });
    for (const chunk of chunks) {
      response.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    response.end();
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
}

const servers: Server[] = [];
const received: { body: string; accept: string | undefined; type: string | undefined }[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) server.close();
  received.length = 0;
});

/** Splits bytes at the given offsets: the network may cut anywhere, inside a line or a character. */
function cut(text: string, ...at: number[]): Buffer[] {
  const bytes = Buffer.from(text, "utf8");
  const edges = [0, ...at.sort((a, b) => a - b), bytes.length];
  return edges.slice(1).map((end, index) => bytes.subarray(edges[index], end));
}

describe("the chat and ask stream reader", () => {
  it("reads every event in order however the bytes are cut, multi-byte characters included", async () => {
    const stream =
      'event: tool\ndata: {"tool":"add_task","result":"Pay rent — Friday"}\n\n' +
      'event: text\ndata: {"delta":"Añadido ✓ "}\n\n' +
      'event: done\ndata: {"messageId":"m1"}\n\n';
    const dash = Buffer.from(stream).indexOf(Buffer.from("—"));
    const tick = Buffer.from(stream).indexOf(Buffer.from("✓"));
    const url = await serve(200, cut(stream, 5, dash + 1, dash + 2, tick + 1, Buffer.from(stream).indexOf("\n\n") + 1));
    const events: [string, unknown][] = [];
    await postForEvents(url, { message: "add pay rent friday" }, (event, data) => events.push([event, data]));
    expect(events).toEqual([
      ["tool", { tool: "add_task", result: "Pay rent — Friday" }],
      ["text", { delta: "Añadido ✓ " }],
      ["done", { messageId: "m1" }],
    ]);
    expect(received[0]).toEqual({
      body: '{"message":"add pay rent friday"}',
      accept: "text/event-stream",
      type: "application/json",
    });
  });

  it("turns a refused request into the API's error, code and message kept", async () => {
    const body = JSON.stringify({
      error: { code: "rate_limited", message: "Too many chat requests" },
      requestId: "r1",
    });
    const url = await serve(429, [Buffer.from(body)], "application/json");
    const failure = await postForEvents(url, { message: "hi" }, () => {}).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe("rate_limited");
    expect((failure as AppError).message).toContain("Too many chat requests");
  });

  it("ignores comment lines and keeps a partial event until its end arrives", async () => {
    const url = await serve(200, [
      Buffer.from(': keep-alive\n\nevent: text\ndata: {"de'),
      Buffer.from('lta":"x"}\n\n'),
    ]);
    const events: string[] = [];
    await postForEvents(url, {}, (event) => events.push(event));
    expect(events).toEqual(["text"]);
  });
});
