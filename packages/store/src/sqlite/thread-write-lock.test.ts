import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "./sqlite-store";
import { ThreadWriteLock } from "./thread-write-lock";

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("the thread write lock", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("lets one holder in at a time, and the next in as soon as it is released", async () => {
    const buffer = ThreadWriteLock.buffer();
    const a = new ThreadWriteLock(buffer, 2);
    const b = new ThreadWriteLock(buffer, 3);
    await a.acquire();
    let bHolds = false;
    const waiting = b.acquire().then(() => {
      bHolds = true;
    });
    await tick();
    expect(bHolds).toBe(false);
    a.release();
    await waiting;
    expect(bHolds).toBe(true);
    // A release by a connection that does not hold the lock changes nothing.
    a.release();
    let aHolds = false;
    const again = a.acquire().then(() => {
      aHolds = true;
    });
    await tick();
    expect(aHolds).toBe(false);
    b.release();
    await again;
    a.release();
  });

  it("lets a waiting request thread go before a background thread that asks again", async () => {
    const buffer = ThreadWriteLock.buffer();
    const background = new ThreadWriteLock(buffer, 2);
    const requests = new ThreadWriteLock(buffer, 1, true);
    const order: string[] = [];
    await background.acquire();
    const request = requests.acquire().then(() => order.push("request"));
    await tick();
    background.release();
    // Asks again in the same turn, before the request thread has seen the lock free.
    const next = background.acquire().then(() => order.push("background"));
    await request;
    requests.release();
    await next;
    background.release();
    expect(order).toEqual(["request", "background"]);
  });

  it("is freed for the others when the thread that held it ended mid-transaction", async () => {
    const buffer = ThreadWriteLock.buffer();
    const dead = new ThreadWriteLock(buffer, 7);
    const alive = new ThreadWriteLock(buffer, 1, true);
    await dead.acquire();
    // Another holder's id frees nothing.
    ThreadWriteLock.releaseIfHeldBy(buffer, 8);
    let taken = false;
    const waiting = alive.acquire().then(() => {
      taken = true;
    });
    await tick();
    expect(taken).toBe(false);
    ThreadWriteLock.releaseIfHeldBy(buffer, 7);
    await waiting;
    expect(taken).toBe(true);
    alive.release();
  });

  it("serialises two connections to one file whose transactions overlap, with no busy wait", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cairn-lock-"));
    dirs.push(dir);
    const buffer = ThreadWriteLock.buffer();
    const path = join(dir, "cairn.db");
    const first = new SqliteStore({ path, threadWriteLock: { buffer, holder: 1, first: true } });
    const second = new SqliteStore({ path, threadWriteLock: { buffer, holder: 2 } });
    const at = new Date().toISOString();
    // Each transaction waits on a timer while it holds SQLite's write lock: without the shared lock the
    // other connection's BEGIN IMMEDIATE would block this thread in the busy handler (5 s), then fail.
    const add = (store: SqliteStore, id: string) =>
      store.system.transaction(async (tx) => {
        await tick();
        await tx.enqueueJob({
          id,
          kind: "k",
          userId: null,
          dedupeKey: null,
          payload: {},
          maxAttempts: 1,
          runAt: at,
          createdAt: at,
        });
      });
    await Promise.all(
      Array.from({ length: 20 }, (_, n) => add(n % 2 === 0 ? first : second, `job-${String(n).padStart(2, "0")}`)),
    );
    expect((await first.system.listJobs({ kind: "k", limit: 50, offset: 0 })).total).toBe(20);
    expect((await second.system.listJobs({ kind: "k", limit: 50, offset: 0 })).total).toBe(20);
    await first.close();
    await second.close();
  });
});
