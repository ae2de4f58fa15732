import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./test-app";

/** Sends raw bytes (then closes the sending side) and reads the whole answer: status line, headers, body. */
function rawRequest(
  port: number,
  bytes: string,
): Promise<{ status: number; headers: Record<string, string>; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => {
      socket.write(bytes);
      socket.end();
    });
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      text += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      const [head = "", ...rest] = text.split("\r\n\r\n");
      const [statusLine = "", ...headerLines] = head.split("\r\n");
      const headers = Object.fromEntries(
        headerLines.map((line) => {
          const at = line.indexOf(":");
          return [line.slice(0, at).toLowerCase(), line.slice(at + 1).trim()];
        }),
      );
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: JSON.parse(rest.join("\r\n")) });
    });
  });
}

describe("requests the HTTP layer refuses before any route", () => {
  let server: TestApp;
  let port = 0;

  beforeAll(async () => {
    server = await createTestApp();
    await server.app.listen({ host: "127.0.0.1", port: 0 });
    const address = server.app.server.address();
    port = typeof address === "object" && address ? address.port : 0;
  });
  afterAll(() => server.dispose());

  const get = (path: string, headers = "") =>
    rawRequest(port, `GET ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n${headers}\r\n`);

  it.each([
    ["a URL with broken percent-encoding", () => get("/api/threads/%E0%A4%A"), 400, "bad_request"],
    ["a path part over the length limit", () => get(`/api/threads/${"a".repeat(200)}`), 414, "uri_too_long"],
    [
      "headers over the size limit",
      () => get("/healthz", `x-big: ${"a".repeat(20_000)}\r\n`),
      431,
      "headers_too_large",
    ],
    [
      "a body shorter than its Content-Length",
      () =>
        rawRequest(
          port,
          `POST /api/memories HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${server.alice.token}\r\n` +
            'content-type: application/json\r\ncontent-length: 100\r\n\r\n{"content": "short"}',
        ),
      400,
      "bad_request",
    ],
  ] as const)("answers %s in the one error shape, with a request id", async (_name, send, status, code) => {
    const answer = await send();
    expect(answer.status).toBe(status);
    const body = answer.body as { error: { code: string; message: string }; requestId: string };
    expect(body.error.code).toBe(code);
    expect(body.error.message).not.toMatch(/FST_|HPE_/);
    expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers["x-request-id"]).toBe(body.requestId);
  });
});
