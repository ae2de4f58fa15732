import type { Memory } from "@cairn/core/entities";
import { nextVersion } from "@cairn/core/hlc";
import { applyPush } from "@cairn/core/operations/apply-push";
import { forgetMemory, listMemories, remember, searchMemories, updateMemory } from "@cairn/core/operations/memories";
import { listProjects } from "@cairn/core/operations/projects";
import { ackAlert, closeIdleSessions, purgeExpiredTrash, syncDigest } from "@cairn/core/operations/safety";
import type { DeleteGuard } from "@cairn/core/operations/server-hooks";
import { lastSession, listSessions, sessionRecord, startSession } from "@cairn/core/operations/sessions";
import { syncThread } from "@cairn/core/operations/sync-thread";
import { addTask } from "@cairn/core/operations/tasks";
import { deleteEntry, listTrash, purgeFromTrash, restoreFromTrash } from "@cairn/core/operations/trash";
import type { Store } from "@cairn/core/store/store-port";
import type { PushRequest } from "@cairn/core/wire/push";
import { describe, expect, it } from "vitest";
import { digestPaging } from "../shared/digest";
import { contractWriter, suiteStore } from "./contract-writer";
import { hostileQueries } from "./hostile-queries";

let clock = Date.parse("2026-03-01T00:00:00.000Z");
const now = () => new Date(clock);
const tick = (ms = 1000) => {
  clock += ms;
};
let ids = 0;
const newId = () => `id${String(++ids).padStart(6, "0")}`;

function push(userId: string, deviceId: string, seq: number, mutations: { op: string; args: unknown }[]): PushRequest {
  return {
    pushVersion: 1,
    deviceId,
    scope: { userId },
    mutations: mutations.map((mutation, index) => ({ seq: seq + index, ...mutation, clientTime: now().toISOString() })),
  };
}

/**
 * The contract of memories, sessions, the trash, the destruction guard, the
 * audit log and the digest (issue 4), run by both adapters.
 */
export function runMemoryContract(name: string, factory: { open: () => Promise<Store> }) {
  describe(`Memory and safety contract: ${name}`, () => {
    let store: Store;
    const { user, other } = suiteStore(factory, "m", (opened) => {
      store = opened;
    });
    const writer = contractWriter(() => store, now, newId);

    it("stores, edits, lists and searches memories with project, session, kind and tags", async () => {
      const session = await startSession(writer(user.id), { project: "alpha", agent: "claude" });
      const decision = await remember(writer(user.id), {
        project: "alpha",
        content: "We decided the retry policy doubles from 0.5 s to 5 min",
        kind: "decision",
        tags: ["sync", "retry"],
        sessionId: session.id,
      });
      tick();
      await remember(writer(user.id), { project: "beta", content: "Alice prefers tabs", kind: "preference" });
      tick();
      const edited = await updateMemory(writer(user.id), {
        id: decision.id,
        content: "The retry policy doubles to 5 min, with jitter",
      });
      expect(edited.version > decision.version).toBe(true);

      const all = await listMemories({ store: store.forUser(user.id) }, {});
      expect(all.total).toBe(2);
      expect(all.memories.map((memory) => memory.content)).toContain("The retry policy doubles to 5 min, with jitter");
      expect((await listMemories({ store: store.forUser(user.id) }, { project: "alpha" })).memories).toEqual([
        expect.objectContaining({ id: decision.id, kind: "decision", tags: ["sync", "retry"], sessionId: session.id }),
      ]);
      expect((await listMemories({ store: store.forUser(user.id) }, { kind: "preference" })).total).toBe(1);
      expect((await listMemories({ store: store.forUser(user.id) }, { tag: "retry" })).total).toBe(1);
      expect((await listMemories({ store: store.forUser(user.id) }, { session: session.id })).total).toBe(1);
      expect((await listMemories({ store: store.forUser(other.id) }, {})).total).toBe(0);

      const hits = await searchMemories({ store: store.forUser(user.id) }, { q: "retry jitter" });
      expect(hits.hits).toEqual([
        expect.objectContaining({ type: "memory", id: decision.id, project: "alpha", session: session.id }),
      ]);
      expect(hits.hits[0]?.snippet).toMatch(/<mark>/);
      expect((await searchMemories({ store: store.forUser(user.id) }, { q: "retry", project: "beta" })).hits).toEqual(
        [],
      );
      expect((await searchMemories({ store: store.forUser(other.id) }, { q: "retry" })).hits).toEqual([]);
      for (const query of hostileQueries) {
        await expect(searchMemories({ store: store.forUser(user.id) }, { q: query })).resolves.toBeDefined();
      }
    });

    it("filters by time: since and until, durations or ISO dates", async () => {
      const base = clock;
      await remember(writer(user.id), { project: "timed", content: "old note" });
      tick(3 * 3_600_000);
      await remember(writer(user.id), { project: "timed", content: "new note" });
      const recent = await listMemories({ store: store.forUser(user.id), now }, { project: "timed", since: "2h" });
      expect(recent.memories.map((memory) => memory.content)).toEqual(["new note"]);
      const early = await listMemories(
        { store: store.forUser(user.id), now },
        {
          project: "timed",
          until: new Date(base + 1000).toISOString(),
        },
      );
      expect(early.memories.map((memory) => memory.content)).toEqual(["old note"]);
      await expect(
        listMemories({ store: store.forUser(user.id), now }, { since: "yesterday-ish" }),
      ).rejects.toMatchObject({
        code: "invalid_input",
      });
    });

    it("keeps the higher version when two devices edit one memory, and audits the loser", async () => {
      const original = await remember(writer(user.id), { project: "alpha", content: "draft" });
      const base: Memory = original;
      // Two devices edit the same version offline; device B's clock is later.
      const fromA = { ...base, content: "edit from A", version: nextVersion(base.version, clock + 10, "device-a") };
      const fromB = { ...base, content: "edit from B", version: nextVersion(base.version, clock + 20, "device-b") };
      const putOf = (memory: Memory) => ({ op: "memory.put", args: { ...memory, baseVersion: base.version } });
      await applyPush({ store: store.forUser(user.id), now, newId }, push(user.id, "device-b", 1, [putOf(fromB)]));
      await applyPush({ store: store.forUser(user.id), now, newId }, push(user.id, "device-a", 1, [putOf(fromA)]));
      const kept = await store.forUser(user.id).getMemory(original.id);
      expect(kept).toMatchObject({ content: "edit from B", version: fromB.version });
      const conflicts = await store.forUser(user.id).listAudit({ action: "conflict", limit: 10, offset: 0 });
      expect(conflicts.events).toEqual([
        expect.objectContaining({
          targetType: "memory",
          targetId: original.id,
          deviceId: "device-a",
          details: expect.objectContaining({ loser: expect.objectContaining({ content: "edit from A" }) }),
        }),
      ]);
      // The memory's history, read by target: the version B wrote over, then the conflict A lost.
      const history = await store.forUser(user.id).listAudit({
        target: { type: "memory", id: original.id },
        limit: 10,
        offset: 0,
      });
      expect(history.events.map((event) => event.action)).toEqual(["conflict", "version"]);
      expect(history.events[1]?.details).toMatchObject({ previous: { content: "draft", version: base.version } });
      const elsewhere = await store.forUser(other.id).listAudit({
        target: { type: "memory", id: original.id },
        limit: 10,
        offset: 0,
      });
      expect(elsewhere.total).toBe(0);
      // A replay of the winner changes nothing and is no conflict.
      await applyPush({ store: store.forUser(user.id), now, newId }, push(user.id, "device-c", 1, [putOf(fromB)]));
      expect((await store.forUser(user.id).listAudit({ action: "conflict", limit: 10, offset: 0 })).total).toBe(1);
    });

    it("keeps deletes in the trash, restores them, and purges them by hand or after 30 days", async () => {
      const memory = await remember(writer(user.id), { project: "trash", content: "forget me" });
      await forgetMemory(writer(user.id), memory.id);
      expect((await listMemories({ store: store.forUser(user.id) }, { project: "trash" })).total).toBe(0);
      const trash = await listTrash({ store: store.forUser(user.id) }, { project: "trash" });
      expect(trash.items).toEqual([expect.objectContaining({ type: "memory", id: memory.id, preview: "forget me" })]);
      await restoreFromTrash(writer(user.id), { type: "memory", id: memory.id });
      expect((await listMemories({ store: store.forUser(user.id) }, { project: "trash" })).total).toBe(1);

      await forgetMemory(writer(user.id), memory.id);
      await purgeFromTrash(writer(user.id), { type: "memory", id: memory.id });
      expect(await store.forUser(user.id).getMemory(memory.id)).toBeNull();
      await expect(purgeFromTrash(writer(user.id), { type: "memory", id: memory.id })).rejects.toMatchObject({
        code: "not_found",
      });

      const old = await remember(writer(user.id), { project: "trash", content: "old trash" });
      await forgetMemory(writer(user.id), old.id);
      tick(31 * 86_400_000);
      expect(await purgeExpiredTrash({ store, now })).toBeGreaterThanOrEqual(1);
      expect(await store.forUser(user.id).getMemory(old.id)).toBeNull();
      const audit = await store.forUser(user.id).listAudit({ limit: 50, offset: 0 });
      expect(audit.events.map((event) => event.action)).toEqual(expect.arrayContaining(["delete", "restore", "purge"]));
    });

    it("raises one alert for a burst of deletes and, in block mode, refuses deletes until it is acknowledged", async () => {
      const guard: DeleteGuard = { mode: "block", warnAbove: 10, criticalAbove: 50, windowMs: 60_000 };
      tick(120_000);
      const made: Memory[] = [];
      for (let index = 0; index < 12; index++) {
        made.push(await remember(writer(other.id), { project: "burst", content: `memory ${index}` }));
      }
      const forgets = made.map((memory) => ({
        op: "memory.put",
        args: {
          ...memory,
          deletedAt: now().toISOString(),
          version: nextVersion(memory.version, clock + 5, "dev"),
          baseVersion: memory.version,
        },
      }));
      const answer = await applyPush(
        { store: store.forUser(other.id), now, newId, guard },
        push(other.id, "dev", 1, forgets),
      );
      expect(answer.results.map((result) => result.status)).toEqual([
        ...Array(10).fill("applied"),
        "rejected",
        "rejected",
      ]);
      expect(answer.results[10]?.reason).toMatch(/^locked/);
      const { alerts } = await store.forUser(other.id).listAlerts({ open: true, limit: 10, offset: 0 });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ severity: "warning", blockedCount: 2 });
      expect([...(alerts[0]?.deletedIds ?? [])].sort()).toEqual(
        made
          .slice(0, 10)
          .map((memory) => memory.id)
          .sort(),
      );
      // The refused ones are still there.
      expect((await store.forUser(other.id).getMemory(made[10]?.id ?? ""))?.deletedAt).toBeNull();

      await ackAlert({ store: store.forUser(other.id), now, newId }, { id: alerts[0]?.id ?? "", by: "test" });
      expect((await store.forUser(other.id).listAlerts({ open: true, limit: 10, offset: 0 })).total).toBe(0);
      tick(61_000);
      const retry = forgets.slice(10);
      const after = await applyPush(
        { store: store.forUser(other.id), now, newId, guard },
        push(other.id, "dev", 13, retry),
      );
      expect(after.results.map((result) => result.status)).toEqual(["applied", "applied"]);
      const audit = await store.forUser(other.id).listAudit({ action: "alert.ack", limit: 5, offset: 0 });
      expect(audit.total).toBe(1);
    });

    it("warns without blocking, and turns critical above the second threshold", async () => {
      const guard: DeleteGuard = { mode: "warn", warnAbove: 3, criticalAbove: 5, windowMs: 60_000 };
      const made: Memory[] = [];
      for (let index = 0; index < 7; index++) {
        made.push(await remember(writer(other.id), { project: "warned", content: `w ${index}` }));
      }
      tick(61_000);
      const forgets = made.map((memory) => ({
        op: "memory.put",
        args: {
          ...memory,
          deletedAt: now().toISOString(),
          version: nextVersion(memory.version, clock + 5, "w"),
          baseVersion: memory.version,
        },
      }));
      const answer = await applyPush(
        { store: store.forUser(other.id), now, newId, guard },
        push(other.id, "warner", 1, forgets),
      );
      expect(answer.results.every((result) => result.status === "applied")).toBe(true);
      const { alerts } = await store.forUser(other.id).listAlerts({ open: true, limit: 10, offset: 0 });
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ severity: "critical", deleteCount: 7, blockedCount: 0 });
    });

    it("keeps counting deletes after an acknowledgement, and turns the alert critical and open again", async () => {
      const guard: DeleteGuard = { mode: "warn", warnAbove: 3, criticalAbove: 5, windowMs: 60_000 };
      tick(10 * 60_000);
      const made: Memory[] = [];
      for (let index = 0; index < 7; index++) {
        made.push(await remember(writer(other.id), { project: "acked", content: `a ${index}` }));
      }
      const forget = (memory: Memory) => ({
        op: "memory.put",
        args: {
          ...memory,
          deletedAt: now().toISOString(),
          version: nextVersion(memory.version, clock + 5, "acked"),
          baseVersion: memory.version,
        },
      });
      await applyPush(
        { store: store.forUser(other.id), now, newId, guard },
        push(other.id, "acker", 1, made.slice(0, 4).map(forget)),
      );
      const [raised] = (await store.forUser(other.id).listAlerts({ open: true, limit: 1, offset: 0 })).alerts;
      expect(raised).toMatchObject({ severity: "warning", deleteCount: 4 });
      await ackAlert({ store: store.forUser(other.id), now, newId }, { id: raised?.id ?? "", by: "test" });
      tick(5_000);
      // Still within the window: each delete counts on the acknowledged alert (before, none did).
      await applyPush(
        { store: store.forUser(other.id), now, newId, guard },
        push(other.id, "acker", 5, [forget(made[4] as Memory)]),
      );
      expect((await store.forUser(other.id).listAlerts({ limit: 1, offset: 0 })).alerts[0]).toMatchObject({
        id: raised?.id,
        deleteCount: 5,
        severity: "warning",
        acknowledgedBy: "test",
      });
      const jobsBefore = (await store.system.listJobs({ kind: "webhook.alert", limit: 50, offset: 0 })).total;
      await applyPush(
        { store: store.forUser(other.id), now, newId, guard },
        push(other.id, "acker", 6, made.slice(5).map(forget)),
      );
      const [escalated] = (await store.forUser(other.id).listAlerts({ open: true, limit: 1, offset: 0 })).alerts;
      expect(escalated).toMatchObject({ id: raised?.id, severity: "critical", deleteCount: 7, acknowledgedAt: null });
      expect(escalated?.deletedIds).toEqual(expect.arrayContaining(made.map((memory) => memory.id)));
      // Fired again as critical, once.
      expect((await store.system.listJobs({ kind: "webhook.alert", limit: 50, offset: 0 })).total).toBe(jobsBefore + 1);
      const audit = await store.forUser(other.id).listAudit({ action: "alert.escalated", limit: 5, offset: 0 });
      expect(audit.total).toBe(1);
    });

    it("in block mode, lets the parked deletes through after the acknowledgement without counting them twice", async () => {
      const guard: DeleteGuard = { mode: "block", warnAbove: 3, criticalAbove: 6, windowMs: 60_000 };
      // The alerts of the tests before, acknowledged long ago.
      for (const open of (await store.forUser(other.id).listAlerts({ open: true, limit: 50, offset: 0 })).alerts) {
        await ackAlert({ store: store.forUser(other.id), now, newId }, { id: open.id, by: "earlier" });
      }
      tick(10 * 60_000);
      const made: Memory[] = [];
      for (let index = 0; index < 8; index++) {
        made.push(await remember(writer(other.id), { project: "parked", content: `p ${index}` }));
      }
      const forgets = made.map((memory) => ({
        op: "memory.put",
        args: {
          ...memory,
          deletedAt: now().toISOString(),
          version: nextVersion(memory.version, clock + 5, "parked"),
          baseVersion: memory.version,
        },
      }));
      const first = await applyPush(
        { store: store.forUser(other.id), now, newId, guard },
        push(other.id, "parker", 1, forgets.slice(0, 5)),
      );
      expect(first.results.map((result) => result.status)).toEqual([
        "applied",
        "applied",
        "applied",
        "rejected",
        "rejected",
      ]);
      const [alert] = (await store.forUser(other.id).listAlerts({ open: true, limit: 1, offset: 0 })).alerts;
      expect(alert).toMatchObject({ deleteCount: 5, blockedCount: 2 });
      await ackAlert({ store: store.forUser(other.id), now, newId }, { id: alert?.id ?? "", by: "test" });
      tick(1_000);
      // The device re-sends its two parked deletes: through, and not counted again.
      const released = await applyPush(
        { store: store.forUser(other.id), now, newId, guard },
        push(other.id, "parker", 6, forgets.slice(3, 5)),
      );
      expect(released.results.map((result) => result.status)).toEqual(["applied", "applied"]);
      expect((await store.forUser(other.id).listAlerts({ limit: 1, offset: 0 })).alerts[0]).toMatchObject({
        deleteCount: 5,
        releasedCount: 2,
      });
      // New deletes count: the sixth goes through, the seventh passes the critical threshold and waits.
      const more = await applyPush(
        { store: store.forUser(other.id), now, newId, guard },
        push(other.id, "parker", 8, forgets.slice(5, 7)),
      );
      expect(more.results.map((result) => result.status)).toEqual(["applied", "rejected"]);
      expect(more.results[1]?.reason).toMatch(/^locked/);
      expect((await store.forUser(other.id).listAlerts({ open: true, limit: 1, offset: 0 })).alerts[0]).toMatchObject({
        id: alert?.id,
        severity: "critical",
        deleteCount: 7,
        blockedCount: 3,
      });
    });

    it("records sessions, closes idle ones, and answers what the last session did", async () => {
      tick(3_600_000);
      await closeIdleSessions({ store, now }); // the sessions of earlier tests
      const session = await startSession(writer(user.id), { project: "sessions", agent: "codex" });
      await remember(writer(user.id), { project: "sessions", content: "noted in the session", sessionId: session.id });
      const record = await sessionRecord({ store: store.forUser(user.id) }, session.id);
      expect(record.memories.map((memory) => memory.content)).toEqual(["noted in the session"]);
      expect((await lastSession({ store: store.forUser(user.id) }, "sessions")).session.id).toBe(session.id);
      expect((await listSessions({ store: store.forUser(user.id) }, { project: "sessions" })).total).toBe(1);

      tick(29 * 60_000);
      expect(await closeIdleSessions({ store, now })).toBe(0);
      tick(2 * 60_000);
      expect(await closeIdleSessions({ store, now })).toBeGreaterThanOrEqual(1);
      const ended = await store.forUser(user.id).getSession(session.id);
      expect(ended?.endedAt).toBe(new Date(Date.parse(ended?.lastActivityAt ?? "") + 30 * 60_000).toISOString());
      await expect(sessionRecord({ store: store.forUser(other.id) }, session.id)).rejects.toMatchObject({
        code: "not_found",
      });
    });

    it("lists a user's projects with what each holds, most recently active first", async () => {
      const owner = { id: "m-projects", name: "m-projects", createdAt: "2026-01-01T00:00:00.000Z" };
      await store.system.transaction((tx) => tx.createUser(owner));
      const write = writer(owner.id);
      tick();
      await remember(write, { project: "older", content: "an old note" });
      await syncThread(
        { sink: write.sink, now },
        {
          project: "older",
          thread: "log",
          entries: [
            { id: "proj-e1", content: "one" },
            { id: "proj-e2", content: "two" },
          ],
        },
      );
      tick(60_000);
      await remember(write, { project: "newer", content: "a new note" });
      const gone = await remember(write, { project: "newer", content: "forgotten" });
      await forgetMemory(write, gone.id);
      await addTask(write, { title: "project task", project: "newer" });
      await addTask(write, { title: "personal task" });
      const listed = await listProjects({ store: store.forUser(owner.id) }, {});
      expect(listed).toMatchObject({ total: 2, personalTasks: 1 });
      expect(listed.projects.map((project) => project.id)).toEqual(["newer", "older"]);
      expect(listed.projects[0]).toMatchObject({ memories: 1, tasks: 1, entries: 0, threads: 0 });
      expect(listed.projects[1]).toMatchObject({ memories: 1, entries: 2, threads: 1, tasks: 0 });
      expect(
        (await listProjects({ store: store.forUser(owner.id) }, { limit: 1, offset: 1 })).projects.map((p) => p.id),
      ).toEqual(["older"]);
      expect((await listProjects({ store: store.forUser(other.id) }, {})).projects.map((p) => p.id)).not.toContain(
        "older",
      );
    });

    it("reads a user's entries in pages for the digest, each once", async () => {
      const whole = await syncDigest({ store: store.forUser(user.id) }, {});
      const entries = Array.from({ length: 23 }, (_, index) => ({
        id: `01JDIGESTPAGE${String(index).padStart(13, "0")}`,
        content: `paged entry ${index}`,
      }));
      await syncThread(writer(user.id), { project: "paged", thread: "many", entries });
      const once = await syncDigest({ store: store.forUser(user.id) }, {});
      digestPaging.rows = 5;
      try {
        const paged = await syncDigest({ store: store.forUser(user.id) }, {});
        expect(paged).toEqual(once);
        expect(paged.digest.entry?.count).toBe((whole.digest.entry?.count ?? 0) + 23);
        await deleteEntry(writer(user.id), entries[21]?.id ?? "");
        const without = await syncDigest({ store: store.forUser(user.id) }, {});
        expect(without.digest.entry?.hash).not.toBe(paged.digest.entry?.hash);
      } finally {
        digestPaging.rows = 5_000;
      }
    });

    it("computes a digest that changes with the rows and ignores other users", async () => {
      // One of the user's memories outside "alpha", whatever ran before (the project filter is checked below).
      await remember(writer(user.id), { project: "beta-digest", content: "kept elsewhere" });
      const before = await syncDigest({ store: store.forUser(user.id) }, {});
      expect(Object.keys(before.digest).sort()).toEqual(["entry", "memory", "session", "task", "thread"]);
      expect(await syncDigest({ store: store.forUser(user.id) }, {})).toEqual(before);
      await remember(writer(other.id), { project: "elsewhere", content: "not mine" });
      expect(await syncDigest({ store: store.forUser(user.id) }, {})).toEqual(before);
      await remember(writer(user.id), { project: "alpha", content: "one more" });
      const after = await syncDigest({ store: store.forUser(user.id) }, {});
      expect(after.digest.memory?.count).toBe((before.digest.memory?.count ?? 0) + 1);
      expect(after.digest.memory?.hash).not.toBe(before.digest.memory?.hash);
      expect(
        (await syncDigest({ store: store.forUser(user.id) }, { project: "alpha" })).digest.memory?.count,
      ).toBeLessThan(after.digest.memory?.count ?? 0);
    });
  });
}
