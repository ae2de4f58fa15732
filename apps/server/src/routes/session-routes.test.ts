import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";

/** The web UI's login (issue 15): a session cookie instead of the token, and writes only from Cairn's own pages. */
describe("browser sessions", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.dispose());

  const host = "localhost:80";
  const own = { host, origin: `http://${host}`, "sec-fetch-site": "same-origin" };

  async function login(token = t.alice.token) {
    return t.app.inject({ method: "POST", url: "/api/session", headers: own, payload: { token } });
  }

  function cookieOf(response: Awaited<ReturnType<typeof login>>): string {
    const header = response.headers["set-cookie"];
    const line = Array.isArray(header) ? header[0] : header;
    return (line ?? "").split(";")[0] ?? "";
  }

  it("trades the API token for an HttpOnly, SameSite=Strict session cookie that is not the token", async () => {
    const response = await login();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ user: { id: t.alice.id, name: "alice" }, expiresAt: expect.any(String) });
    const header = String(response.headers["set-cookie"]);
    expect(header).toMatch(/^cairn_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Strict$/);
    expect(header).not.toContain(t.alice.token);
    expect(JSON.stringify(response.json())).not.toContain(t.alice.token);
    // Stored hashed: the cookie's value is in no table, in any form the tests can read back.
    const stored = await t.deps.store.forUser(t.alice.id).listTokens();
    expect(stored.map((token) => token.name)).toContain("web session");
    expect(JSON.stringify(stored)).not.toContain(cookieOf(response).split("=")[1]);
    // Secure when the browser reached the server over TLS (through a proxy that says so).
    const tls = await t.app.inject({
      method: "POST",
      url: "/api/session",
      headers: { ...own, "x-forwarded-proto": "https", origin: `http://${host}` },
      payload: { token: t.alice.token },
    });
    expect(String(tls.headers["set-cookie"])).toContain("; Secure");
  });

  it("refuses a wrong token without a cookie, and a login from another site's page", async () => {
    const wrong = await login("cairn_not-a-token");
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers["set-cookie"]).toBeUndefined();
    const elsewhere = await t.app.inject({
      method: "POST",
      url: "/api/session",
      headers: { host, origin: "http://evil.example", "sec-fetch-site": "cross-site" },
      payload: { token: t.alice.token },
    });
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.headers["set-cookie"]).toBeUndefined();
  });

  it("reads and writes with the cookie from Cairn's own pages, and refuses a form from another port of the same host", async () => {
    const cookie = cookieOf(await login());
    const me = await t.app.inject({ url: "/api/me", headers: { host, cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: t.alice.id } });

    const write = (headers: Record<string, string>, payload: string) =>
      t.app.inject({ method: "POST", url: "/api/memories", headers: { host, cookie, ...headers }, payload });
    const json = JSON.stringify({ project: "web", content: "from the page" });
    expect((await write({ ...own, "content-type": "application/json" }, json)).statusCode).toBe(201);
    // Same site, other port: SameSite=Strict sends the cookie, the server must not take it.
    const otherPort = await write(
      {
        origin: "http://localhost:8080",
        "sec-fetch-site": "same-site",
        "content-type": "application/x-www-form-urlencoded",
      },
      "project=web&content=forged",
    );
    expect(otherPort.statusCode).toBe(403);
    expect(otherPort.json().error.code).toBe("forbidden");
    // An older browser without Sec-Fetch-Site: the Origin decides.
    expect(
      (await write({ origin: "http://localhost:8080", "content-type": "application/json" }, json)).statusCode,
    ).toBe(403);
    expect((await write({ origin: `http://${host}`, "content-type": "application/json" }, json)).statusCode).toBe(201);
    // Same origin, but not JSON (a form posted to itself by an injected page): refused.
    expect((await write({ ...own, "content-type": "text/plain" }, json)).statusCode).toBe(403);
    // The forged write stored nothing.
    const list = await t.app.inject({ url: "/api/memories?project=web", headers: { host, cookie } });
    expect(JSON.stringify(list.json())).not.toContain("forged");

    // Bearer auth is unchanged: no Origin needed.
    const bearer = await t.app.inject({
      method: "POST",
      url: "/api/memories",
      headers: { authorization: `Bearer ${t.alice.token}` },
      payload: { project: "web", content: "from the CLI" },
    });
    expect(bearer.statusCode).toBe(201);
  });

  it("logs out: the session is revoked and its cookie cleared, the API token still works", async () => {
    const cookie = cookieOf(await login());
    const out = await t.app.inject({ method: "DELETE", url: "/api/session", headers: { ...own, cookie } });
    expect(out.statusCode).toBe(200);
    expect(out.json()).toEqual({ loggedOut: true });
    expect(String(out.headers["set-cookie"])).toMatch(/^cairn_session=; Max-Age=0; Path=\/; Expires=Thu, 01 Jan 1970/);
    const after = await t.app.inject({ url: "/api/me", headers: { host, cookie } });
    expect(after.statusCode).toBe(401);
    const token = await t.app.inject({ url: "/api/me", headers: { authorization: `Bearer ${t.alice.token}` } });
    expect(token.statusCode).toBe(200);
    // A logout with a bearer token has no session to end.
    const bearer = await t.app.inject({
      method: "DELETE",
      url: "/api/session",
      headers: { authorization: `Bearer ${t.alice.token}` },
    });
    expect(bearer.statusCode).toBe(400);
  });

  it("puts the security headers on every answer, event streams included", async () => {
    const me = await t.app.inject({ url: "/api/me", headers: { authorization: `Bearer ${t.alice.token}` } });
    for (const response of [me, await t.app.inject({ url: "/healthz" })]) {
      expect(response.headers).toMatchObject({
        "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
        "x-frame-options": "DENY",
        "referrer-policy": "no-referrer",
        "x-content-type-options": "nosniff",
      });
    }
    const stream = await t.app.inject({
      method: "POST",
      url: "/api/oracle/ask",
      headers: { authorization: `Bearer ${t.alice.token}` },
      payload: { question: "anything about pelicans?", stream: true },
    });
    expect(stream.headers["content-type"]).toContain("text/event-stream");
    expect(stream.headers["referrer-policy"]).toBe("no-referrer");
    expect(stream.headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  });
});
