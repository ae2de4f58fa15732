import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairnAsync as cairn, cleanup, tempDir } from "./harness";

/**
 * A server that knows the token but refuses every push with 429 and
 * Retry-After: 60, counting the pushes it is sent.
 */
describe("writes while the server asks to back off", () => {
  const home = tempDir("backoff");
  let server: Server;
  let url = "";
  let pushes = 0;

  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === "/api/me") {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ user: { id: "user-1", name: "tester" } }));
        return;
      }
      if (request.url === "/api/sync/push") pushes += 1;
      request.resume();
      response.writeHead(429, { "content-type": "application/json", "retry-after": "60" });
      response.end(JSON.stringify({ error: { code: "rate_limited", message: "slow down" } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    cleanup(home);
  });

  it("tries once, then queues without trying until the backoff ends; sync now always tries", async () => {
    expect((await cairn(home, ["login", "--server", url, "--token", "cairn_test"])).code).toBe(0);
    const first = await cairn(home, ["thread", "push", "first", "--json"]);
    expect(first.json()).toMatchObject({ synced: false });
    expect(pushes).toBe(1);
    const status = (await cairn(home, ["sync", "status", "--json"])).json<{
      nextAttemptAt: string;
      lastError: string;
      pending: number;
    }>();
    expect(status.lastError).toMatch(/^rate_limited/);
    expect(Date.parse(status.nextAttemptAt) - Date.now()).toBeGreaterThan(50_000);

    const second = await cairn(home, ["thread", "push", "second", "--json"]);
    expect(second.code).toBe(0);
    expect(second.json()).toMatchObject({ synced: false });
    expect(pushes).toBe(1);
    expect((await cairn(home, ["sync", "status", "--json"])).json()).toMatchObject({ pending: 2 });

    const now = await cairn(home, ["sync", "now", "--json"]);
    expect(now.code).toBe(1);
    expect(now.stderr).toContain("rate_limited");
    expect(pushes).toBe(2);
  });
});
