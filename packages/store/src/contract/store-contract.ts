import { storeSink } from "@cairn/core/mutations/store-sink";
import { applyPush } from "@cairn/core/operations/apply-push";
import { deleteThread } from "@cairn/core/operations/delete-thread";
import { getThread } from "@cairn/core/operations/get-thread";
import { listThreads } from "@cairn/core/operations/list-threads";
import { pullChanges } from "@cairn/core/operations/pull-changes";
import { searchEntries } from "@cairn/core/operations/search-entries";
import { syncThread } from "@cairn/core/operations/sync-thread";
import { threadStatus } from "@cairn/core/operations/thread-status";
import type { Store } from "@cairn/core/store/store-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostileQueries } from "./hostile-queries";
import { entryMutation, now, push } from "./push-fixtures";

/**
 * The one contract every Store adapter passes. `open` returns a fresh, empty
 * store; `reopen` opens the same database again (migrations must be a no-op).
 */
export function runStoreContract(name: string, factory: { open: () => Promise<Store>; reopen: () => Promise<Store> }) {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    const alice = { id: "user-alice", name: "alice", createdAt: "2026-01-01T00:00:00.000Z" };
    const bob = { id: "user-bob", name: "bob", createdAt: "2026-01-01T00:00:00.000Z" };

    beforeAll(async () => {
      store = await factory.open();
      await store.system.transaction(async (tx) => {
        await tx.createUser(alice);
        await tx.createUser(bob);
      });
    });
    afterAll(async () => {
      await store.close();
    });

    it("stores tokens by hash, finds them, and revokes them", async () => {
      await store.system.transaction((tx) =>
        tx.createToken({
          id: "tok-1",
          userId: alice.id,
          name: "laptop",
          hash: "hash-1",
          createdAt: now().toISOString(),
          expiresAt: null,
        }),
      );
      const found = await store.system.findTokenByHash("hash-1");
      expect(found?.user.name).toBe("alice");
      expect(found?.token.revokedAt).toBeNull();
      expect(await store.system.findTokenByHash("hash-unknown")).toBeNull();
      expect(await store.system.transaction((tx) => tx.forUser(bob.id).revokeToken("tok-1", now().toISOString()))).toBe(
        false,
      );
      expect(
        await store.system.transaction((tx) => tx.forUser(alice.id).revokeToken("tok-1", now().toISOString())),
      ).toBe(true);
      expect((await store.system.findTokenByHash("hash-1"))?.token.revokedAt).not.toBeNull();
      expect(await store.system.countUsers()).toBe(2);
    });

    it("applies a push in seq order and answers a replay with duplicates", async () => {
      const request = push(alice.id, "dev-a", [
        entryMutation(1, "e-1", "found the bug in the parser"),
        entryMutation(2, "e-2", "fixed the tokenizer"),
      ]);
      const first = await applyPush({ store: store.forUser(alice.id), now }, request);
      expect(first.results.map((result) => result.status)).toEqual(["applied", "applied"]);
      expect(first.lastAppliedSeq).toBe(2);
      const replay = await applyPush({ store: store.forUser(alice.id), now }, request);
      expect(replay.results.map((result) => result.status)).toEqual(["duplicate", "duplicate"]);
      const thread = await getThread({ store: store.forUser(alice.id) }, { thread: "main", project: "alpha" });
      expect(thread.entries.map((entry) => entry.id)).toEqual(["e-1", "e-2"]);
      expect(thread.total).toBe(2);
    });

    it("stops at a gap in seq and applies nothing after it", async () => {
      const result = await applyPush(
        { store: store.forUser(alice.id), now },
        push(alice.id, "dev-a", [
          entryMutation(3, "e-3", "third"),
          entryMutation(5, "e-5", "after the gap"),
          entryMutation(6, "e-6", "also after the gap"),
        ]),
      );
      expect(result.results.map((entry) => entry.status)).toEqual(["applied", "out_of_order", "out_of_order"]);
      expect(result.lastAppliedSeq).toBe(3);
      const thread = await getThread({ store: store.forUser(alice.id) }, { thread: "main", project: "alpha" });
      expect(thread.entries.map((entry) => entry.id)).not.toContain("e-5");
      expect(await store.forUser(alice.id).getDeviceSeq("dev-a")).toBe(3);
    });

    it("rejects an invalid mutation but advances past it, and answers its replay with the same rejection", async () => {
      const request = push(alice.id, "dev-a", [
        {
          ...entryMutation(4, "e-4", "x"),
          args: { id: "e-4", projectId: "alpha", threadId: "main", content: "", createdAt: now().toISOString() },
        },
        { seq: 5, op: "no.such.op", args: {}, clientTime: now().toISOString() },
        entryMutation(6, "e-6", "after two rejections"),
      ]);
      const result = await applyPush({ store: store.forUser(alice.id), now }, request);
      expect(result.results.map((entry) => entry.status)).toEqual(["rejected", "rejected", "applied"]);
      expect(result.results[0]?.reason).toMatch(/content/);
      expect(result.lastAppliedSeq).toBe(6);
      // The client lost that answer and sends the batch again: the rejections must not turn into "duplicate"
      // (the client would drop those rows as delivered).
      const replay = await applyPush({ store: store.forUser(alice.id), now }, request);
      expect(replay.results.map((entry) => [entry.status, entry.reason])).toEqual([
        ["rejected", result.results[0]?.reason],
        ["rejected", result.results[1]?.reason],
        ["duplicate", undefined],
      ]);
      // Rejections are per user and device.
      expect(await store.forUser(bob.id).findRejections("dev-a", [4, 5])).toEqual([]);
      // The devices as the server sees them: how far each pushed, when, and what it had refused.
      const devices = await store.forUser(alice.id).listDevices();
      expect(devices.find((device) => device.deviceId === "dev-a")).toEqual({
        deviceId: "dev-a",
        name: null,
        lastAppliedSeq: 6,
        lastSeenAt: expect.any(String),
        rejected: 2,
        lastRejection: { reason: expect.any(String), at: expect.any(String) },
      });
      expect((await store.forUser(bob.id).listDevices()).map((device) => device.deviceId)).not.toContain("dev-a");
    });

    it("refuses a push whose scope names another user", async () => {
      await expect(applyPush({ store: store.forUser(bob.id), now }, push(alice.id, "dev-b", []))).rejects.toMatchObject(
        {
          code: "forbidden",
        },
      );
    });

    it("leaves out of a device's pull the entries it pushed, and still moves its cursor past them", async () => {
      const carol = { id: "u-carol", name: "carol", email: null, createdAt: now().toISOString() };
      await store.system.transaction((tx) => tx.createUser(carol));
      const mine = Array.from({ length: 5 }, (_, index) => entryMutation(index + 1, `c-own-${index}`, `own ${index}`));
      await applyPush({ store: store.forUser(carol.id), now }, push(carol.id, "laptop", mine));
      await applyPush(
        { store: store.forUser(carol.id), now },
        push(carol.id, "desktop", [entryMutation(1, "c-other", "written on the desktop")]),
      );
      const entriesOf = (page: { changes: { type: string; entry?: { id: string } }[] }) =>
        page.changes.flatMap((change) => (change.type === "entry" && change.entry ? [change.entry.id] : []));

      // Pages are windows of seqs: some come back empty (all the laptop's own), the cursor still moves.
      const laptopEntries: string[] = [];
      let laptop = await pullChanges({ store: store.forUser(carol.id) }, { cursor: 0, limit: 2, device: "laptop" });
      laptopEntries.push(...entriesOf(laptop));
      while (laptop.hasMore) {
        const next = await pullChanges(
          { store: store.forUser(carol.id) },
          { cursor: laptop.cursor, limit: 2, device: "laptop" },
        );
        expect(next.cursor).toBeGreaterThan(laptop.cursor);
        laptopEntries.push(...entriesOf(next));
        laptop = next;
      }
      expect(laptopEntries).toEqual(["c-other"]);
      expect(laptop.cursor).toBe(await store.forUser(carol.id).changeHorizon());
      // Nothing new since: the next pull is empty and stays put.
      const again = await pullChanges(
        { store: store.forUser(carol.id) },
        { cursor: laptop.cursor, limit: 2, device: "laptop" },
      );
      expect(again).toMatchObject({ changes: [], hasMore: false, cursor: laptop.cursor });
      // Another device (or a recovery, without a device) gets everything.
      const all: string[] = [];
      let cursor = 0;
      for (;;) {
        const page = await pullChanges({ store: store.forUser(carol.id) }, { cursor, limit: 2 });
        all.push(...entriesOf(page));
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      expect(all.sort()).toEqual([...mine.map((mutation) => mutation.args.id), "c-other"].sort());
    });

    it("keeps each user's rows apart in every read", async () => {
      await applyPush(
        { store: store.forUser(bob.id), now },
        push(bob.id, "dev-b", [entryMutation(1, "b-1", "bob parser secret")]),
      );
      const aliceSearch = await searchEntries({ store: store.forUser(alice.id) }, { q: "secret" });
      expect(aliceSearch.hits).toEqual([]);
      const bobThreads = await listThreads({ store: store.forUser(bob.id) }, {});
      expect(bobThreads.total).toBe(1);
      expect(bobThreads.threads[0]?.entryCount).toBe(1);
      await expect(
        getThread({ store: store.forUser(bob.id) }, { thread: "main", project: "alpha" }),
      ).resolves.toMatchObject({
        total: 1,
      });
      const bobChanges = await pullChanges({ store: store.forUser(bob.id) }, { cursor: 0, limit: 100 });
      expect(bobChanges.changes.every((change) => change.type !== "entry" || change.entry.id === "b-1")).toBe(true);
      // Entry ids are per user: the same id under two users is two rows.
      await applyPush(
        { store: store.forUser(bob.id), now },
        push(bob.id, "dev-b", [entryMutation(2, "e-1", "bob's own e-1")]),
      );
      const aliceThread = await getThread({ store: store.forUser(alice.id) }, { thread: "main", project: "alpha" });
      expect(aliceThread.entries.find((entry) => entry.id === "e-1")?.content).toBe("found the bug in the parser");
    });

    it("searches with BM25, snippets with highlights, and a project filter", async () => {
      await syncThread(
        { sink: storeSink(store.forUser(alice.id)), now },
        {
          project: "beta",
          thread: "notes",
          entries: [
            { id: "s-1", content: "the retry policy uses exponential backoff with jitter" },
            { id: "s-2", content: "lunch was good" },
          ],
        },
      );
      const result = await searchEntries({ store: store.forUser(alice.id) }, { q: "backoff jitter" });
      expect(result.hits.map((hit) => hit.id)).toEqual(["s-1"]);
      const [hit] = result.hits;
      expect(hit?.snippet).toContain("<mark>backoff</mark>");
      expect(hit?.project).toBe("beta");
      expect(hit?.score).toBeGreaterThan(0);
      const parser = await searchEntries({ store: store.forUser(alice.id) }, { q: "parser" });
      expect(parser.hits.map((found) => found.id)).toEqual(["e-1"]);
      const filtered = await searchEntries({ store: store.forUser(alice.id) }, { q: "parser", project: "beta" });
      expect(filtered.hits).toEqual([]);
    });

    it("pages search results with a cursor", async () => {
      await syncThread(
        { sink: storeSink(store.forUser(alice.id)), now },
        {
          project: "beta",
          thread: "paging",
          entries: Array.from({ length: 5 }, (_, index) => ({
            id: `p-${index}`,
            content: `pagingword number ${index}`,
          })),
        },
      );
      const first = await searchEntries({ store: store.forUser(alice.id) }, { q: "pagingword", limit: 3 });
      expect(first.hits).toHaveLength(3);
      expect(first.nextCursor).toBe(3);
      const second = await searchEntries({ store: store.forUser(alice.id) }, { q: "pagingword", limit: 3, cursor: 3 });
      expect(second.hits).toHaveLength(2);
      expect(second.nextCursor).toBeNull();
      const ids = new Set([...first.hits, ...second.hits].map((hit) => hit.id));
      expect(ids.size).toBe(5);
    });

    it("answers every hostile query string with a list", async () => {
      for (const query of hostileQueries) {
        const result = await searchEntries({ store: store.forUser(alice.id) }, { q: query });
        expect(Array.isArray(result.hits), query.slice(0, 20)).toBe(true);
      }
      const quoted = await searchEntries({ store: store.forUser(alice.id) }, { q: '"parser' });
      expect(quoted.hits.map((hit) => hit.id)).toEqual(["e-1"]);
    });

    it("lists threads with counts and reports a thread's status", async () => {
      const all = await listThreads({ store: store.forUser(alice.id) }, {});
      expect(all.threads.map((thread) => `${thread.projectId}/${thread.id}`).sort()).toEqual([
        "alpha/main",
        "beta/notes",
        "beta/paging",
      ]);
      const alpha = await listThreads({ store: store.forUser(alice.id) }, { project: "alpha" });
      expect(alpha.total).toBe(1);
      expect(alpha.threads[0]?.entryCount).toBe(4);
      const status = await threadStatus({ store: store.forUser(alice.id) }, { thread: "main" });
      expect(status.entryCount).toBe(4);
      expect(status.lastEntry?.id).toBe("e-6");
    });

    it("says which projects share an ambiguous thread id", async () => {
      await syncThread(
        { sink: storeSink(store.forUser(alice.id)), now },
        { project: "beta", thread: "main", entries: [] },
      );
      await expect(getThread({ store: store.forUser(alice.id) }, { thread: "main" })).rejects.toMatchObject({
        code: "conflict",
        details: { projects: ["alpha", "beta"] },
      });
      await expect(getThread({ store: store.forUser(alice.id) }, { thread: "nope" })).rejects.toMatchObject({
        code: "not_found",
      });
      const preferred = await getThread(
        { store: store.forUser(alice.id) },
        { thread: "main", preferredProject: "beta" },
      );
      expect(preferred.thread.projectId).toBe("beta");
      const elsewhere = await getThread(
        { store: store.forUser(alice.id) },
        { thread: "notes", preferredProject: "alpha" },
      );
      expect(elsewhere.thread.projectId).toBe("beta");
    });

    it("soft-deletes a thread: gone from lists and search, still in the change log", async () => {
      const before = await pullChanges({ store: store.forUser(alice.id) }, { cursor: 0, limit: 1000 });
      await deleteThread(
        { store: store.forUser(alice.id), sink: storeSink(store.forUser(alice.id)), now },
        {
          thread: "notes",
          project: "beta",
        },
      );
      const threads = await listThreads({ store: store.forUser(alice.id) }, { project: "beta" });
      expect(threads.threads.map((thread) => thread.id)).not.toContain("notes");
      expect((await searchEntries({ store: store.forUser(alice.id) }, { q: "backoff" })).hits).toEqual([]);
      const after = await pullChanges({ store: store.forUser(alice.id) }, { cursor: before.cursor, limit: 1000 });
      expect(after.changes).toHaveLength(1);
      const [change] = after.changes;
      expect(change?.type === "thread" && change.thread.deletedAt).toBeTruthy();
      await expect(
        deleteThread(
          { store: store.forUser(alice.id), sink: storeSink(store.forUser(alice.id)), now },
          { thread: "notes", project: "beta" },
        ),
      ).rejects.toMatchObject({ code: "not_found" });
    });

    it("pulls changes in server order with a cursor and hasMore", async () => {
      const first = await pullChanges({ store: store.forUser(alice.id) }, { cursor: 0, limit: 3 });
      expect(first.changes).toHaveLength(3);
      expect(first.hasMore).toBe(true);
      const seqs = first.changes.map((change) => change.seq);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      let cursor = first.cursor;
      let total = first.changes.length;
      for (;;) {
        const page = await pullChanges({ store: store.forUser(alice.id) }, { cursor, limit: 3 });
        total += page.changes.length;
        expect(page.changes.every((change) => change.seq > cursor)).toBe(true);
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      const everything = await pullChanges({ store: store.forUser(alice.id) }, { cursor: 0, limit: 1000 });
      expect(total).toBe(everything.changes.length);
      expect(new Set(everything.changes.map((change) => change.seq)).size).toBe(everything.changes.length);
    });

    it("sees its own entry writes inside a transaction, and ignores a repeated id", async () => {
      const entry = (id: string, content: string) => ({
        id,
        threadId: "rw",
        projectId: "alpha",
        sessionId: null,
        author: "",
        content,
        createdAt: now().toISOString(),
        deletedAt: null,
      });
      const seen = await store.system.transaction(async (tx) => {
        await tx.forUser(alice.id).insertEntry(entry("rw-1", "first"), await tx.forUser(alice.id).nextSeq());
        await tx.forUser(alice.id).insertEntry(entry("rw-1", "first again"), await tx.forUser(alice.id).nextSeq());
        await tx.forUser(alice.id).insertEntry(entry("rw-2", "second"), await tx.forUser(alice.id).nextSeq());
        return tx.forUser(alice.id).listEntries({ projectId: "alpha", threadId: "rw", limit: 10, offset: 0 });
      });
      expect(seen.entries.map((row) => row.content)).toEqual(["first", "second"]);
      const after = await store
        .forUser(alice.id)
        .listEntries({ projectId: "alpha", threadId: "rw", limit: 10, offset: 0 });
      expect(after.total).toBe(2);
      expect(
        (await searchEntries({ store: store.forUser(alice.id) }, { q: "second" })).hits.map((hit) => hit.id),
      ).toEqual(["rw-2"]);
    });

    it("cuts a pull page at its byte budget and goes on from the cursor", async () => {
      const everything = await pullChanges({ store: store.forUser(alice.id) }, { cursor: 0, limit: 1000 });
      const small = await pullChanges({ store: store.forUser(alice.id) }, { cursor: 0, limit: 1000, maxBytes: 1 });
      expect(small.changes).toHaveLength(1);
      expect(small.hasMore).toBe(true);
      let cursor = 0;
      const seen: number[] = [];
      for (let round = 0; round < 1000; round++) {
        const page = await pullChanges({ store: store.forUser(alice.id) }, { cursor, limit: 1000, maxBytes: 700 });
        seen.push(...page.changes.map((change) => change.seq));
        cursor = page.cursor;
        if (!page.hasMore) break;
      }
      expect(seen).toEqual(everything.changes.map((change) => change.seq));
    });

    it("rolls a failed transaction back completely", async () => {
      const before = await listThreads({ store: store.forUser(alice.id) }, {});
      await expect(
        store.system.transaction(async (tx) => {
          await tx.forUser(alice.id).ensureProject({ id: "gamma", name: "gamma", createdAt: now().toISOString() });
          await tx.forUser(alice.id).ensureThread(
            {
              id: "t",
              projectId: "gamma",
              name: "t",
              status: "active",
              createdAt: now().toISOString(),
              updatedAt: now().toISOString(),
              deletedAt: null,
            },
            () => tx.forUser(alice.id).nextSeq(),
          );
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      expect((await listThreads({ store: store.forUser(alice.id) }, {})).total).toBe(before.total);
    });

    it("runs its migrations again as a no-op", async () => {
      const again = await factory.reopen();
      try {
        // The reopened store migrates nothing and sees the same rows.
        expect(await again.system.countUsers()).toBe(await store.system.countUsers());
        expect(await again.system.countUsers()).toBeGreaterThanOrEqual(2);
      } finally {
        await again.close();
      }
    });
  });
}
