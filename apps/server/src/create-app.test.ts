import { createUser } from "@cairn/core/accounts/create-user";
import { hostileQueries } from "@cairn/store/contract/hostile-queries";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "./test-app";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.dispose());

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

function pushBody(userId: string, deviceId: string, seqs: number[], content = (seq: number) => `entry ${seq}`) {
  return {
    pushVersion: 1,
    deviceId,
    scope: { userId },
    mutations: seqs.map((seq) => ({
      seq,
      op: "entry.append",
      args: {
        id: `${deviceId}-${seq}`,
        projectId: "web",
        threadId: "main",
        content: content(seq),
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      },
      clientTime: new Date().toISOString(),
    })),
  };
}

describe("health and auth", () => {
  it("answers /healthz and /readyz without a token", async () => {
    expect((await t.app.inject({ url: "/healthz" })).json()).toEqual({ status: "ok" });
    expect((await t.app.inject({ url: "/readyz" })).json()).toMatchObject({ status: "ready", database: "sqlite" });
  });

  it("refuses a missing, wrong or revoked token with 401 and the one error body", async () => {
    const missing = await t.app.inject({ url: "/api/threads" });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toMatchObject({ error: { code: "unauthenticated" }, requestId: expect.any(String) });
    const wrong = await t.app.inject({ url: "/api/threads", headers: auth("cairn_not-a-real-token") });
    expect(wrong.statusCode).toBe(401);
    const malformedHeader = await t.app.inject({ url: "/api/threads", headers: { authorization: "Basic abc" } });
    expect(malformedHeader.statusCode).toBe(401);

    const extra = await t.app.inject({ url: "/api/me", headers: auth(t.alice.token) });
    expect(extra.json()).toEqual({ user: { id: t.alice.id, name: "alice" }, token: { expiresAt: null }, admin: false });
    await t.deps.store.system.transaction((tx) =>
      tx.forUser(t.bob.id).revokeToken(t.bob.tokenId, new Date().toISOString()),
    );
    const revoked = await t.app.inject({ url: "/api/me", headers: auth(t.bob.token) });
    expect(revoked.statusCode).toBe(401);
    expect(JSON.stringify(revoked.json())).not.toContain(t.bob.token);
  });

  it("echoes a request id and uses the caller's when given", async () => {
    const response = await t.app.inject({ url: "/healthz", headers: { "x-request-id": "trace-123" } });
    expect(response.headers["x-request-id"]).toBe("trace-123");
  });
});

describe("bad input", () => {
  it("answers malformed JSON with 400 malformed_json", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/sync/push",
      headers: { ...auth(t.alice.token), "content-type": "application/json" },
      payload: '{"pushVersion": 1, "mutations": [',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe("malformed_json");
  });

  it("answers schema violations with 422 naming the field", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/sync/push",
      headers: auth(t.alice.token),
      payload: { pushVersion: 2, deviceId: "d", scope: { userId: t.alice.id }, mutations: [] },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("pushVersion"),
    });
  });

  it("answers a body over 1 MiB with 413", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/threads/sync",
      headers: auth(t.alice.token),
      payload: { project: "web", thread: "big", entries: [{ id: "x", content: "a".repeat(1024 * 1024 + 10) }] },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe("payload_too_large");
  });

  it("refuses an entry over 100,000 bytes and an empty entry with 422", async () => {
    for (const content of ["é".repeat(50_001), "", "   \n"]) {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/threads/sync",
        headers: auth(t.alice.token),
        payload: { project: "web", thread: "bad", entries: [{ id: "bad-1", content }] },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().error.message).toContain("entries.0.content");
    }
    const threads = await t.app.inject({ url: "/api/threads", headers: auth(t.alice.token) });
    expect(threads.json().threads.map((thread: { id: string }) => thread.id)).not.toContain("bad");
  });

  it("answers an unknown thread and an unknown route with 404", async () => {
    const thread = await t.app.inject({ url: "/api/threads/nope", headers: auth(t.alice.token) });
    expect(thread.statusCode).toBe(404);
    expect(thread.json().error.code).toBe("not_found");
    const route = await t.app.inject({ url: "/api/nothing-here", headers: auth(t.alice.token) });
    expect(route.statusCode).toBe(404);
  });

  it("answers every hostile search string with 200 and a list", async () => {
    for (const q of hostileQueries) {
      for (const path of ["/api/search", "/api/threads/search"]) {
        const response = await t.app.inject({ url: path, query: { q }, headers: auth(t.alice.token) });
        expect(response.statusCode, `${path} ${q.slice(0, 20)}`).toBe(200);
        expect(Array.isArray(response.json().hits)).toBe(true);
      }
    }
  });
});

describe("threads API", () => {
  it("syncs a batch idempotently, lists, shows, reports status and deletes", async () => {
    const batch = {
      project: "web",
      thread: "parser",
      entries: [
        { id: "t-1", content: "found the bug in the parser", author: "agent" },
        { id: "t-2", content: "wrote a failing test" },
      ],
    };
    for (let round = 0; round < 2; round++) {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/threads/sync",
        headers: auth(t.alice.token),
        payload: batch,
      });
      expect(response.statusCode).toBe(200);
    }
    const list = await t.app.inject({ url: "/api/threads?project=web", headers: auth(t.alice.token) });
    expect(list.json().total).toBe(1);
    expect(list.json().threads[0]).toMatchObject({ id: "parser", entryCount: 2 });

    const page = await t.app.inject({ url: "/api/threads/parser?limit=1&offset=1", headers: auth(t.alice.token) });
    expect(page.json()).toMatchObject({ thread: { id: "parser", projectId: "web" }, total: 2 });
    expect(page.json().entries.map((entry: { id: string }) => entry.id)).toEqual(["t-2"]);

    const status = await t.app.inject({ url: "/api/threads/parser/status", headers: auth(t.alice.token) });
    expect(status.json()).toMatchObject({ entryCount: 2, lastEntry: { id: "t-2" } });

    const search = await t.app.inject({ url: "/api/threads/search?q=parser", headers: auth(t.alice.token) });
    expect(search.json().hits.map((hit: { id: string }) => hit.id)).toEqual(["t-1"]);

    const removed = await t.app.inject({ method: "DELETE", url: "/api/threads/parser", headers: auth(t.alice.token) });
    expect(removed.statusCode).toBe(200);
    const gone = await t.app.inject({ url: "/api/threads/parser", headers: auth(t.alice.token) });
    expect(gone.statusCode).toBe(404);
  });

  it("lists the user's projects with their counts, and only theirs", async () => {
    const carol = await createUser(t.deps, { name: "carol-projects" });
    const bob = { token: carol.token };
    await t.app.inject({
      method: "POST",
      url: "/api/threads/sync",
      headers: auth(bob.token),
      payload: { project: "bobs-project", thread: "notes", entries: [{ id: "bp-1", content: "only bob's" }] },
    });
    await t.app.inject({
      method: "POST",
      url: "/api/memories",
      headers: auth(bob.token),
      payload: { project: "bobs-project", content: "a memory of bob's" },
    });
    const bobs = await t.app.inject({ url: "/api/projects", headers: auth(bob.token) });
    expect(bobs.statusCode).toBe(200);
    expect(bobs.json()).toMatchObject({
      total: 1,
      projects: [{ id: "bobs-project", threads: 1, entries: 1, memories: 1, tasks: 0 }],
    });
    const alices = await t.app.inject({ url: "/api/projects", headers: auth(t.alice.token) });
    expect(alices.json().projects.map((project: { id: string }) => project.id)).not.toContain("bobs-project");
    expect((await t.app.inject({ url: "/api/projects?limit=0", headers: auth(bob.token) })).statusCode).toBe(422);
  });

  it("holds thread deletes to the delete guard like every delete (block mode: 423 after an alert)", async () => {
    const dave = await createUser(t.deps, { name: "dave-guard" });
    const previous = t.deps.guard;
    t.deps.guard = { mode: "block", warnAbove: 2, criticalAbove: 50, windowMs: 60_000 };
    try {
      for (const thread of ["g1", "g2", "g3", "g4"]) {
        await t.app.inject({
          method: "POST",
          url: "/api/threads/sync",
          headers: auth(dave.token),
          payload: { project: "guarded", thread, entries: [{ id: `${thread}-e`, content: "keep me" }] },
        });
      }
      const statuses: number[] = [];
      for (const thread of ["g1", "g2", "g3", "g4"]) {
        const removed = await t.app.inject({
          method: "DELETE",
          url: `/api/threads/${thread}?project=guarded`,
          headers: auth(dave.token),
        });
        statuses.push(removed.statusCode);
      }
      // Two go through; the third raises the alert and is refused, as is every delete after it.
      expect(statuses).toEqual([200, 200, 423, 423]);
      const left = await t.app.inject({ url: "/api/threads?project=guarded", headers: auth(dave.token) });
      expect(
        left
          .json()
          .threads.map((thread: { id: string }) => thread.id)
          .sort(),
      ).toEqual(["g3", "g4"]);
    } finally {
      t.deps.guard = previous;
    }
  });

  it("never shows one user's threads to another (404, never data)", async () => {
    const other = await createTestApp();
    try {
      await other.app.inject({
        method: "POST",
        url: "/api/threads/sync",
        headers: auth(other.alice.token),
        payload: { project: "private", thread: "diary", entries: [{ id: "d-1", content: "alice's secret plan" }] },
      });
      const bobHeaders = auth(other.bob.token);
      for (const url of ["/api/threads/diary", "/api/threads/diary/status", "/api/threads/diary?project=private"]) {
        const response = await other.app.inject({ url, headers: bobHeaders });
        expect(response.statusCode, url).toBe(404);
        expect(response.body).not.toContain("secret");
      }
      const deleted = await other.app.inject({ method: "DELETE", url: "/api/threads/diary", headers: bobHeaders });
      expect(deleted.statusCode).toBe(404);
      const search = await other.app.inject({ url: "/api/search?q=secret", headers: bobHeaders });
      expect(search.json().hits).toEqual([]);
      const pull = await other.app.inject({ url: "/api/sync/pull?cursor=0", headers: bobHeaders });
      expect(pull.json().changes).toEqual([]);
      const stillThere = await other.app.inject({ url: "/api/threads/diary", headers: auth(other.alice.token) });
      expect(stillThere.statusCode).toBe(200);
    } finally {
      await other.dispose();
    }
  });
});

describe("sync API", () => {
  it("applies, deduplicates and stops at a gap", async () => {
    const headers = auth(t.alice.token);
    const first = await t.app.inject({
      method: "POST",
      url: "/api/sync/push",
      headers,
      payload: pushBody(t.alice.id, "dev1", [1, 2]),
    });
    expect(first.json()).toMatchObject({ pushVersion: 1, lastAppliedSeq: 2 });
    const gap = await t.app.inject({
      method: "POST",
      url: "/api/sync/push",
      headers,
      payload: pushBody(t.alice.id, "dev1", [2, 4, 5]),
    });
    expect(gap.json().results.map((result: { status: string }) => result.status)).toEqual([
      "duplicate",
      "out_of_order",
      "out_of_order",
    ]);
    expect(gap.json().lastAppliedSeq).toBe(2);
    const pull = await t.app.inject({ url: "/api/sync/pull?cursor=0&limit=1000", headers });
    const entryIds = pull
      .json()
      .changes.filter((change: { type: string }) => change.type === "entry")
      .map((change: { entry: { id: string } }) => change.entry.id);
    expect(entryIds).toContain("dev1-2");
    expect(entryIds).not.toContain("dev1-4");
  });

  it("refuses to apply a push whose scope is another user's", async () => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/sync/push",
      headers: auth(t.alice.token),
      payload: pushBody(t.bob.id, "dev9", [1]),
    });
    expect(response.statusCode).toBe(403);
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After past the per-user write limit", async () => {
    const limited = await createTestApp({ writesPerMinute: 3 });
    try {
      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let index = 0; index < 5; index++) {
        const response = await limited.app.inject({
          method: "POST",
          url: "/api/threads/sync",
          headers: auth(limited.alice.token),
          payload: { project: "p", thread: "t", entries: [] },
        });
        statuses.push(response.statusCode);
        if (response.statusCode === 429) {
          retryAfter = String(response.headers["retry-after"]);
          expect(response.json().error.code).toBe("rate_limited");
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(retryAfter)).toBeGreaterThan(0);
      // Another user has a budget of their own, and reads are counted apart.
      const bob = await limited.app.inject({
        method: "POST",
        url: "/api/threads/sync",
        headers: auth(limited.bob.token),
        payload: { project: "p", thread: "t", entries: [] },
      });
      expect(bob.statusCode).toBe(200);
      const read = await limited.app.inject({ url: "/api/threads", headers: auth(limited.alice.token) });
      expect(read.statusCode).toBe(200);
    } finally {
      await limited.dispose();
    }
  });
});

describe("internal errors", () => {
  it("answers 500 internal without leaking the cause", async () => {
    const broken = await createTestApp();
    const token = broken.alice.token;
    await broken.app.inject({ url: "/api/me", headers: auth(token) });
    await broken.deps.store.close();
    const response = await broken.app.inject({ url: "/api/threads", headers: auth(token) });
    expect(response.statusCode).toBe(500);
    expect(response.json().error).toEqual({ code: "internal", message: "Internal error" });
    expect(response.body).not.toMatch(/at .*\.ts|sqlite|database/i);
    await broken.app.close();
  });
});
