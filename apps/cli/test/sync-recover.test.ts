import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdGenerator } from "@cairn/core/ids";
import { appendEntry } from "@cairn/core/operations/append-entry";
import { remember, updateMemory } from "@cairn/core/operations/memories";
import { createTestApp, type TestApp } from "@cairn/server/test-app";
import { drain } from "@cairn/sync/drain";
import { LocalStore } from "@cairn/sync/local-store";
import { recover } from "@cairn/sync/recover";
import { SyncClient } from "@cairn/sync/sync-client";
import { injectTransport } from "@cairn/sync/testing/inject-transport";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const dir = mkdtempSync(join(tmpdir(), "cairn-recover-"));
let server: TestApp;
let stores = 0;

beforeAll(async () => {
  server = await createTestApp();
});
afterAll(async () => {
  await server.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const client = () =>
  new SyncClient({ server: "http://cairn.test", token: server.alice.token, transport: injectTransport(server.app) });
const open = () =>
  LocalStore.open({
    path: join(dir, `store-${++stores}.db`),
    userId: server.alice.id,
    server: "http://cairn.test",
    newDeviceId: createIdGenerator(),
  });
const now = () => new Date();
const writer = (local: LocalStore) => ({
  store: local.user,
  sink: local.sink({ now, queueCap: 100_000 }),
  newId: createIdGenerator(),
  now,
  nextVersion: () => local.nextVersion(now()),
});
const sync = (local: LocalStore) =>
  drain({
    local,
    client: client(),
    now,
    deadlineMs: 30_000,
    waitForLock: true,
    drainer: { holder: "test", pid: process.pid, role: "test", isAlive: () => true },
  });

describe("recover", () => {
  it("restores pages cut by the size cap without skipping a row, and verifies", async () => {
    const source = open();
    // 30 entries of 90 kB: a window of seqs holds far more than the 1 MiB a page carries.
    for (let index = 0; index < 30; index++) {
      await appendEntry(
        { sink: source.sink({ now, queueCap: 100_000 }), newId: createIdGenerator(), now },
        { project: "big", thread: "t", content: `${index} ${"x".repeat(90_000)}` },
      );
    }
    for (let index = 0; index < 5; index++)
      await remember(writer(source), { project: "big", content: `memory ${index}` });
    expect((await sync(source)).pending).toBe(0);

    const fresh = open();
    const result = await recover({ local: fresh, client: client(), dryRun: false, pageSize: 1000 });
    expect(result).toMatchObject({ verified: true, restored: { entry: 30, memory: 5 } });
    expect(fresh.outbox.counts().pending).toBe(0);
    await source.close();
    await fresh.close();
  });

  it("merges into a store with queued changes, keeping the newer local rows", async () => {
    const local = open();
    const memory = await remember(writer(local), { project: "merge", content: "first version" });
    expect((await sync(local)).pending).toBe(0);
    await updateMemory(writer(local), { id: memory.id, content: "edited offline" });

    const result = await recover({ local, client: client(), dryRun: false });
    expect(result.kept).toBeGreaterThanOrEqual(1);
    expect((await local.store.forUser(server.alice.id).getMemory(memory.id))?.content).toBe("edited offline");
    // The queued edit is left out of the comparison; everything else matches.
    expect(result.verified).toBe(true);
    expect((await sync(local)).pending).toBe(0);
    await local.close();
  });
});
