import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdGenerator } from "@cairn/core/ids";
import { appendEntry } from "@cairn/core/operations/append-entry";
import { createTestApp, type TestApp } from "@cairn/server/test-app";
import { backoffDelay } from "@cairn/sync/backoff";
import { drain, serverFailureLimit } from "@cairn/sync/drain";
import type { HttpResponse, HttpTransport } from "@cairn/sync/http-transport";
import { LocalStore } from "@cairn/sync/local-store";
import { SyncClient } from "@cairn/sync/sync-client";
import { injectTransport } from "@cairn/sync/testing/inject-transport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "cairn-drain-"));
let server: TestApp;
let storeCount = 0;

beforeAll(async () => {
  server = await createTestApp();
});
afterAll(async () => {
  await server.dispose();
  rmSync(dir, { recursive: true, force: true });
});

type Fault = (body: { mutations?: unknown[] } | null, path: string) => HttpResponse | "network" | null;

/** A transport into the real app in process, with scripted faults in front of it. */
function appTransport(fault: Fault = () => null, seen: { mutations: number[] }[] = []): HttpTransport {
  return async (request) => {
    const body = parseBody(request.body);
    const injected = fault(body, request.url.pathname);
    if (injected === "network") throw new Error("connect ECONNREFUSED");
    if (injected) return injected;
    if (body?.mutations) seen.push({ mutations: body.mutations.map((mutation) => mutation.seq) });
    return injectTransport(server.app)(request);
  };
}

/** The request's JSON, or null (a damaged body goes on to the server as it is). */
function parseBody(text: string | undefined): { mutations?: { seq: number }[] } | null {
  try {
    return text === undefined ? null : (JSON.parse(text) as { mutations?: { seq: number }[] });
  } catch {
    return null;
  }
}

function reply(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
  return { status, body, headers };
}

function openLocal(userId: string): LocalStore {
  storeCount += 1;
  return LocalStore.open({
    path: join(dir, `store-${storeCount}.db`),
    userId,
    server: "http://cairn.test",
    newDeviceId: createIdGenerator(),
  });
}

async function write(local: LocalStore, count: number, now = () => new Date()): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const written = await appendEntry(
      { sink: local.sink({ now, queueCap: 100_000 }), newId: createIdGenerator(), now },
      { project: "p", thread: "t", content: `entry ${index}` },
    );
    ids.push(written.id);
  }
  return ids;
}

function client(transport: HttpTransport, token = server.alice.token): SyncClient {
  return new SyncClient({ server: "http://cairn.test", token, transport });
}

interface Via {
  fault?: Fault;
  seen?: { mutations: number[] }[];
  token?: string;
  now?: () => Date;
  random?: () => number;
  maxBatchRows?: number;
  holder?: string;
  waitForLock?: boolean;
  isAlive?: (pid: number) => boolean;
}

/** One drain through the in-process app, with the faults and clock a test names. */
function drainVia(local: LocalStore, via: Via = {}) {
  return drain({
    local,
    client: client(appTransport(via.fault, via.seen), via.token),
    now: via.now ?? (() => new Date()),
    deadlineMs: 5000,
    drainer: {
      holder: via.holder ?? "test-drainer",
      pid: process.pid,
      role: "test",
      isAlive: via.isAlive ?? (() => true),
    },
    waitForLock: via.waitForLock ?? false,
    ...(via.random ? { random: via.random } : {}),
    ...(via.maxBatchRows ? { maxBatchRows: via.maxBatchRows } : {}),
  });
}

describe("drain", () => {
  it("keeps rows pending on a network failure, storing backoff without counting attempts", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 2);
    const now = () => new Date("2026-03-01T00:00:00.000Z");
    const first = await drainVia(local, { fault: () => "network", now, random: () => 1 });
    expect(first).toMatchObject({ pushed: 0, pending: 2, dead: 0 });
    expect(first.error?.code).toBe("unavailable");
    expect(local.state.get("failures")).toBe("1");
    expect(local.state.get("nextAttemptAt")).toBe("2026-03-01T00:00:01.000Z");
    const rows = local.outbox.list(10);
    expect(rows.every((row) => row.attempts === 0 && row.lastError?.startsWith("unavailable"))).toBe(true);
    expect(rows[0]?.nextAttemptAt).toBe("2026-03-01T00:00:01.000Z");

    const second = await drainVia(local, { fault: () => "network", now, random: () => 1 });
    expect(second.pending).toBe(2);
    expect(local.state.get("nextAttemptAt")).toBe("2026-03-01T00:00:02.000Z");

    const recovered = await drainVia(local, { now });
    expect(recovered).toMatchObject({ pushed: 2, pending: 0, error: null });
    expect(local.state.get("failures")).toBe("0");
    expect(local.state.get("lastSuccessAt")).toBe("2026-03-01T00:00:00.000Z");
    await local.close();
  });

  it("honours Retry-After on 429 and treats 5xx and 401 as transport failures", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 1);
    const now = () => new Date("2026-03-01T00:00:00.000Z");
    const limited = () =>
      reply(429, '{"error":{"code":"rate_limited","message":"slow down"}}', { "retry-after": "42" });
    const result = await drainVia(local, { fault: limited, now });
    expect(result.error?.code).toBe("rate_limited");
    expect(local.state.get("nextAttemptAt")).toBe("2026-03-01T00:00:42.000Z");
    const down = () => reply(502, "bad gateway");
    expect((await drainVia(local, { fault: down, now })).pending).toBe(1);
    const unauthorized = await drainVia(local, { token: "cairn_wrong", now });
    expect(unauthorized.error?.code).toBe("unauthenticated");
    expect(local.outbox.list(10).map((row) => [row.attempts, row.state])).toEqual([[0, "pending"]]);
    // 401 stops drainers until a newer login; it sets no backoff that would delay that login's push.
    expect(local.state.get("unauthorizedAt")).toBe("2026-03-01T00:00:00.000Z");
    expect(local.state.get("nextAttemptAt")).toBeNull();
    expect((await drainVia(local, { now })).pending).toBe(0);
    await local.close();
  });

  it("halves the batch on 413 and parks a single oversized mutation as dead", async () => {
    const local = openLocal(server.alice.id);
    const ids = await write(local, 7);
    const seen: { mutations: number[] }[] = [];
    const tooLarge = (body: { mutations?: unknown[] } | null) =>
      body?.mutations && body.mutations.length > 2
        ? reply(413, '{"error":{"code":"payload_too_large","message":"big"}}')
        : null;
    const result = await drainVia(local, { fault: tooLarge, seen });
    expect(result).toMatchObject({ pushed: 7, pending: 0, dead: 0 });
    expect(seen.every((push) => push.mutations.length <= 2)).toBe(true);
    const flat = seen.flatMap((push) => push.mutations);
    expect(flat).toEqual([...flat].sort((a, b) => a - b));
    const thread = await server.app.inject({
      url: "/api/threads/t?project=p&limit=100",
      headers: { authorization: `Bearer ${server.alice.token}` },
    });
    expect(thread.json().entries.map((entry: { id: string }) => entry.id)).toEqual(expect.arrayContaining(ids));

    await write(local, 1);
    const alwaysTooLarge = () => reply(413, '{"error":{"code":"payload_too_large","message":"big"}}');
    const parked = await drainVia(local, { fault: alwaysTooLarge });
    expect(parked).toMatchObject({ pending: 0, dead: 1 });
    expect(local.outbox.list(10)[0]?.lastError).toMatch(/payload_too_large/);
    // The rows behind it are not stuck at the seq the server never read: a skip moves it past.
    await write(local, 2);
    const after = await drainVia(local);
    expect(after).toMatchObject({ pushed: 2, pending: 0, dead: 1, error: null });
    await local.close();
  });

  it("parks a rejected mutation as dead and re-arms it under a new seq", async () => {
    const local = openLocal(server.alice.id);
    // A mutation the server refuses (it is valid locally only because we bypass the operation).
    local.outbox.enqueue({
      op: "entry.append",
      args: { id: "bad", projectId: "p", threadId: "t", content: "" },
      entityId: "bad",
      clientTime: new Date().toISOString(),
    });
    await write(local, 1);
    const seen: { mutations: number[] }[] = [];
    const result = await drainVia(local, { seen });
    expect(result).toMatchObject({ pushed: 1, pending: 0, dead: 1 });
    const [dead] = local.outbox.list(10);
    expect(dead).toMatchObject({ state: "dead", attempts: 1 });
    expect(dead?.lastError).toMatch(/invalid_input/);

    expect(local.outbox.retryDead()).toBe(1);
    const [rearmed] = local.outbox.list(10);
    expect(rearmed?.state).toBe("pending");
    expect(rearmed?.seq).toBeGreaterThan(dead?.seq ?? 0);
    await drainVia(local, { seen });
    // It was really sent again (and rejected again), not swallowed as a duplicate.
    expect(seen.at(-1)?.mutations).toEqual([rearmed?.seq]);
    expect(local.outbox.counts()).toMatchObject({ pending: 0, dead: 1 });
    await local.close();
  });

  it("parks a row whose stored JSON is damaged, alone, and sends the rows around it", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 3);
    local.store.db
      .prepare(
        "INSERT INTO outbox (op, args, entity_id, client_time, bytes) VALUES ('entry.append', ?, 'broken', ?, 9)",
      )
      .run('{"id": "br', new Date().toISOString());
    await write(local, 3);
    const result = await drainVia(local);
    expect(result).toMatchObject({ pushed: 6, pending: 0, dead: 1, error: null });
    expect(local.outbox.list(10)).toEqual([
      expect.objectContaining({
        entityId: "broken",
        state: "dead",
        lastError: expect.stringMatching(/^malformed_json/),
      }),
    ]);
    await local.close();
  });

  it("reads the next batch while one is out, and drops it when the answer leaves rows to send again", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 6);
    const seqs = local.outbox.list(10).map((row) => row.seq);
    // The first push is answered only once the drain has read the batch after it (while it was out).
    let prefetched: () => void = () => {};
    const readAhead = new Promise<void>((resolve) => {
      prefetched = resolve;
    });
    const nextBatch = local.outbox.nextBatch.bind(local.outbox);
    local.outbox.nextBatch = (limits, afterSeq = 0) => {
      if (afterSeq > 0) prefetched();
      return nextBatch(limits, afterSeq);
    };
    const seen: { mutations: number[] }[] = [];
    const pipelined = await drain({
      local,
      client: client(async (request) => {
        if (request.url.pathname === "/api/sync/push" && seen.length === 0) await readAhead;
        return appTransport(() => null, seen)(request);
      }),
      now: () => new Date(),
      deadlineMs: 5000,
      drainer: { holder: "pipelined", pid: process.pid, role: "test", isAlive: () => true },
      waitForLock: false,
      maxBatchRows: 2,
    });
    expect(pipelined).toMatchObject({ pushed: 6, pending: 0, error: null });
    expect(seen.map((push) => push.mutations)).toEqual([seqs.slice(0, 2), seqs.slice(2, 4), seqs.slice(4, 6)]);

    // An answer that leaves the batch's last row to send again: the batch read ahead is not sent.
    const other = openLocal(server.bob.id);
    await write(other, 4);
    const queued = other.outbox.list(10).map((row) => row.seq);
    const pushes: number[][] = [];
    await drainVia(other, {
      token: server.bob.token,
      maxBatchRows: 2,
      fault: (body) => {
        const sent = (body?.mutations ?? []) as { seq: number }[];
        if (sent.length === 0) return null;
        pushes.push(sent.map((mutation) => mutation.seq));
        if (pushes.length > 1) return null;
        const [first, second] = sent;
        return reply(
          200,
          JSON.stringify({
            pushVersion: 1,
            lastAppliedSeq: first?.seq,
            results: [
              { seq: first?.seq, status: "applied" },
              { seq: second?.seq, status: "out_of_order" },
            ],
          }),
        );
      },
    });
    expect(pushes[0]).toEqual(queued.slice(0, 2));
    expect(pushes[1]?.[0]).toBe(queued[1]);
  });

  it("pushes in batches and pulls what another device wrote", async () => {
    const first = openLocal(server.bob.id);
    const second = openLocal(server.bob.id);
    const seen: { mutations: number[] }[] = [];
    const token = server.bob.token;
    const ids = await write(first, 5);
    const pushed = await drainVia(first, { seen, token, maxBatchRows: 2 });
    expect(pushed).toMatchObject({ pushed: 5, pending: 0 });
    expect(seen.map((push) => push.mutations.length)).toEqual([2, 2, 1]);
    const pulled = await drainVia(second, { token });
    expect(pulled.pulled).toBeGreaterThanOrEqual(5);
    const rows = await second.store.forUser(server.bob.id).listEntries({
      projectId: "p",
      threadId: "t",
      limit: 100,
      offset: 0,
    });
    expect(rows.entries.map((entry) => entry.id)).toEqual(expect.arrayContaining(ids));
    expect(second.state.number("cursor")).toBeGreaterThan(0);
    await first.close();
    await second.close();
  });
});

describe("one drainer per scope", () => {
  it("skips a drain while another live drainer holds the lock, and waits for it when asked", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 3);
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const seen: { mutations: number[] }[] = [];
    const gated: HttpTransport = async (request) => {
      await gate;
      return appTransport(() => null, seen)(request);
    };
    const hanging = drain({
      local,
      client: client(gated),
      now: () => new Date(),
      deadlineMs: 5000,
      drainer: { holder: "hanging", pid: process.pid, role: "test", isAlive: () => true },
      waitForLock: false,
    });
    while (local.outbox.counts().inFlight < 3) await new Promise((resolve) => setTimeout(resolve, 5));

    const skipped = await drainVia(local, { holder: "second", seen });
    expect(skipped.skipped).toBe("busy");
    await write(local, 1);
    const waiting = drainVia(local, { holder: "third", waitForLock: true, seen });
    open();
    expect((await hanging).error).toBeNull();
    expect((await waiting).skipped).toBeNull();
    expect(local.outbox.counts().pending).toBe(0);
    // Every seq went out once: never two drainers at a time.
    const flat = seen.flatMap((push) => push.mutations);
    expect(flat).toHaveLength(4);
    expect(new Set(flat).size).toBe(4);
    await local.close();
  });

  it("treats in-flight rows of a crashed drainer as unknown outcomes", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 3);
    const seen: { mutations: number[] }[] = [];
    const crash = new Error("simulated crash");
    const dead = new Set<number>();
    await expect(
      drain({
        local,
        client: client(appTransport(() => null, seen)),
        now: () => new Date(),
        deadlineMs: 5000,
        drainer: { holder: "crashing", pid: 4242, role: "test", isAlive: (pid) => !dead.has(pid) },
        waitForLock: false,
        crashPoint: (point) => {
          if (point === "client.push.response") throw crash;
        },
      }),
    ).rejects.toBe(crash);
    dead.add(4242);
    const first = seen[0]?.mutations ?? [];
    expect(first).toHaveLength(3);
    // The server committed them; the client never recorded the answer.
    expect(local.outbox.counts()).toMatchObject({ pending: 3, inFlight: 3 });
    // A killed process never releases its lock: put it back as the dead holder left it.
    local.store.db
      .prepare(
        "INSERT INTO drain_lock (id, holder, pid, role, acquired_at, lease_until) VALUES (1, 'crashing', 4242, 'test', ?, ?)",
      )
      .run(new Date().toISOString(), new Date(Date.now() + 60_000).toISOString());

    const resumed = await drainVia(local, { seen, isAlive: (pid) => !dead.has(pid) });
    expect(resumed).toMatchObject({ skipped: null, pending: 0, dead: 0, pushed: 3 });
    // Resent under the same seqs; the server took them as duplicates.
    expect(seen[1]?.mutations).toEqual(first);
    const thread = await server.app.inject({
      url: "/api/threads/t?project=p&limit=500",
      headers: { authorization: `Bearer ${server.alice.token}` },
    });
    const contents = thread.json().entries.map((entry: { id: string }) => entry.id);
    expect(new Set(contents).size).toBe(contents.length);
    await local.close();
  });
});

describe("a token that expires in the middle of a drain", () => {
  it("keeps the rows after the 401 pending, with no attempt counted, and the settled ones gone", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 5);
    let pushes = 0;
    const expiresAfterFirstBatch: Fault = (body) => {
      if (!body?.mutations) return null;
      pushes += 1;
      return pushes > 1 ? reply(401, '{"error":{"code":"unauthenticated","message":"expired"}}') : null;
    };
    const result = await drainVia(local, { fault: expiresAfterFirstBatch, maxBatchRows: 2 });
    expect(result).toMatchObject({ pushed: 2, pending: 3 });
    expect(result.error?.code).toBe("unauthenticated");
    expect(local.outbox.list(10).map((row) => [row.state, row.attempts])).toEqual([
      ["pending", 0],
      ["pending", 0],
      ["pending", 0],
    ]);
    expect(local.state.get("unauthorizedAt")).not.toBeNull();
    expect((await drainVia(local, {})).pending).toBe(0);
    expect(local.state.get("unauthorizedAt")).toBeNull();
    await local.close();
  });
});

describe("the queue cap", () => {
  it("parks a row the server keeps failing on after a few pushes, and sends the rows behind it", async () => {
    const local = openLocal(server.alice.id);
    const [stuck, ...behind] = await write(local, 3);
    const stuckSeq = local.outbox.list(1)[0]?.seq ?? 0;
    // The server fails every push that carries this row, naming it (applyPush's `failedSeq`);
    // the `sync.skip` sent in its place once it is parked goes through.
    const failing: Fault = (body) =>
      (body?.mutations as { seq: number; op: string }[] | undefined)?.some(
        (mutation) => mutation.seq === stuckSeq && mutation.op !== "sync.skip",
      )
        ? reply(
            500,
            JSON.stringify({
              error: { code: "internal", message: "Internal error", details: { failedSeq: stuckSeq } },
            }),
          )
        : null;
    for (let attempt = 1; attempt < serverFailureLimit; attempt++) {
      const failed = await drainVia(local, { fault: failing });
      expect(failed).toMatchObject({ pushed: 0, pending: 3, dead: 0 });
      expect(local.outbox.get(stuckSeq)?.serverFailures).toBe(attempt);
    }
    const parked = await drainVia(local, { fault: failing });
    expect(parked).toMatchObject({ pushed: 2, pending: 0, dead: 1, error: null });
    expect(local.outbox.get(stuckSeq)?.lastError).toMatch(/^server_error: the server failed 5 times in a row/);
    const unsynced = local.outbox.unsynced([stuck ?? "", ...behind]);
    expect([...unsynced]).toEqual([stuck]);
    await local.close();
  });

  it("never parks a row for 5xx answers that name none (a server that is down)", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 1);
    const down = () => reply(500, JSON.stringify({ error: { code: "internal", message: "Internal error" } }));
    for (let attempt = 0; attempt < serverFailureLimit + 2; attempt++) {
      expect(await drainVia(local, { fault: down })).toMatchObject({ pending: 1, dead: 0 });
    }
    expect(await drainVia(local)).toMatchObject({ pushed: 1, pending: 0, dead: 0 });
    await local.close();
  });

  it("has no cap and no per-write cost that grows with the queue in a store with no server", async () => {
    const local = LocalStore.open({
      path: join(dir, `local-scope-${++storeCount}.db`),
      userId: "local",
      server: null,
      newDeviceId: createIdGenerator(),
    });
    const now = () => new Date();
    const sink = local.sink({ now, queueCap: null });
    for (let index = 0; index < 5; index++) {
      await appendEntry({ sink, newId: createIdGenerator(), now }, { project: "p", thread: "t", content: `${index}` });
    }
    expect(local.outbox.counts()).toMatchObject({ pending: 5, dead: 0 });
    // The counts come from the triggers' tally (one row), kept equal to the rows.
    const counted = local.store.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state != 'dead'").get() as {
      n: number;
    };
    expect(local.outbox.queuedCount()).toBe(counted.n);
    local.outbox.markDead(local.outbox.list(1)[0]?.seq ?? 0, "rejected");
    expect(local.outbox.counts()).toMatchObject({ pending: 4, dead: 1 });
    expect(local.outbox.retryDead()).toBe(1);
    expect(local.outbox.counts()).toMatchObject({ pending: 5, dead: 0 });
    await local.close();
  });

  it("refuses a write past the cap and keeps every queued row", async () => {
    const local = openLocal(server.alice.id);
    const now = () => new Date();
    const sink = local.sink({ now, queueCap: 3 });
    for (let index = 0; index < 3; index++) {
      await appendEntry(
        { sink, newId: createIdGenerator(), now },
        { project: "p", thread: "cap", content: `row ${index}` },
      );
    }
    await expect(
      appendEntry({ sink, newId: createIdGenerator(), now }, { project: "p", thread: "cap", content: "one too many" }),
    ).rejects.toMatchObject({ code: "queue_full" });
    expect(local.outbox.counts().pending).toBe(3);
    const entries = await local.store.forUser(server.alice.id).listEntries({
      projectId: "p",
      threadId: "cap",
      limit: 10,
      offset: 0,
    });
    expect(entries.entries.map((entry) => entry.content).sort()).toEqual(["row 0", "row 1", "row 2"]);
    await local.close();
  });
});

describe("pause", () => {
  it("sends nothing while paused", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 1);
    local.state.set("paused", new Date().toISOString());
    const seen: { mutations: number[] }[] = [];
    const result = await drainVia(local, { seen });
    expect(result).toMatchObject({ skipped: "paused", pending: 1 });
    expect(seen).toHaveLength(0);
    await local.close();
  });
});

describe("backoffDelay", () => {
  it("draws from [0, min(cap, 0.5 s × 2^failures))", () => {
    expect(backoffDelay(0, { random: () => 0.999999 })).toBe(499);
    expect(backoffDelay(3, { random: () => 0.5 })).toBe(2000);
    expect(backoffDelay(40, { random: () => 0.999999 })).toBe(299_999);
    expect(backoffDelay(5, { random: () => 0 })).toBe(0);
  });
});

describe("drain when only the pull fails", () => {
  it("reports the error without a backoff that would hold back the next push", async () => {
    const local = openLocal(server.alice.id);
    await write(local, 1);
    const pullFails = (_body: unknown, path: string) => (path === "/api/sync/pull" ? "network" : null);
    const result = await drainVia(local, { fault: pullFails });
    expect(result).toMatchObject({ pushed: 1, pending: 0 });
    expect(result.error?.code).toBe("unavailable");
    expect(local.state.get("lastError")).toMatch(/^unavailable/);
    expect(local.state.get("nextAttemptAt")).toBeNull();
    await local.close();
  });
});
