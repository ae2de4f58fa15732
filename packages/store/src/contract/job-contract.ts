import type { NewJob } from "@cairn/core/jobs/job-entities";
import type { Store } from "@cairn/core/store/store-port";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const t0 = Date.parse("2026-06-01T00:00:00.000Z");
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();
let ids = 0;

function job(kind: string, extra: Partial<NewJob> = {}): NewJob {
  ids += 1;
  return {
    id: `job-${String(ids).padStart(6, "0")}`,
    kind,
    userId: null,
    dedupeKey: null,
    payload: { n: ids },
    maxAttempts: 3,
    runAt: at(0),
    createdAt: at(0),
    ...extra,
  };
}

/**
 * The durable job table (SPEC section 7), on both adapters: due order,
 * dedupe keys, leases that only their owner can end, a dead worker's job
 * claimed again after its lease, the last attempt ending dead, and two
 * stores claiming one table at once without ever sharing a job.
 */
export function runJobContract(
  name: string,
  factory: {
    open: () => Promise<Store>;
    /**
     * A second store on the same database, claiming alongside the first. SQLite gives none: two
     * connections in one process would wait on each other's write lock synchronously; its claims
     * are serialised by the database's write lock across processes, and by the store's mutex here.
     */
    openSecond?: () => Promise<Store>;
  },
) {
  describe(`Job table contract: ${name}`, () => {
    let store: Store;
    let second: Store;
    const claim = (target: Store, owner: string, now: number, kinds: string[], limit = 10, leaseSeconds = 30) =>
      target.system.transaction((tx) =>
        tx.claimJobs({ owner, kinds, limit, now: at(now), leaseUntil: at(now + leaseSeconds) }),
      );

    beforeAll(async () => {
      store = await factory.open();
      second = factory.openSecond ? await factory.openSecond() : store;
    });
    afterAll(async () => {
      await store.close();
      if (second !== store) await second.close();
    });

    it("claims due jobs of the asked kinds in due order, each once, and records the outcome", async () => {
      await store.system.transaction(async (tx) => {
        await tx.enqueueJob(job("a.order", { runAt: at(5), payload: { name: "later" } }));
        await tx.enqueueJob(job("a.order", { runAt: at(1), payload: { name: "first" } }));
        await tx.enqueueJob(job("a.order", { runAt: at(100), payload: { name: "not yet" } }));
        await tx.enqueueJob(job("a.other", { runAt: at(0) }));
      });
      const claimed = await claim(store, "w1", 10, ["a.order"]);
      expect(claimed.map((row) => row.payload.name)).toEqual(["first", "later"]);
      expect(claimed.every((row) => row.status === "running" && row.attempts === 1 && row.leaseOwner === "w1")).toBe(
        true,
      );
      expect(await claim(store, "w2", 10, ["a.order"])).toEqual([]);
      const [first, later] = claimed;
      if (!first || !later) throw new Error("two jobs expected");
      // Only the owner ends a job.
      expect(await store.system.transaction((tx) => tx.finishJob(first.id, "w2", { status: "done" }, at(11)))).toBe(
        false,
      );
      expect(await store.system.transaction((tx) => tx.finishJob(first.id, "w1", { status: "done" }, at(11)))).toBe(
        true,
      );
      expect(await store.system.transaction((tx) => tx.finishJob(first.id, "w1", { status: "done" }, at(11)))).toBe(
        false,
      );
      // A failure goes back to the queue with its error, due at the retry time.
      const retry = { status: "queued", runAt: at(20), error: "receiver said 503" } as const;
      expect(await store.system.transaction((tx) => tx.finishJob(later.id, "w1", retry, at(11)))).toBe(true);
      expect(await claim(store, "w1", 19, ["a.order"])).toEqual([]);
      const [again] = await claim(store, "w1", 20, ["a.order"]);
      expect(again).toMatchObject({ id: later.id, attempts: 2, lastError: "receiver said 503" });
      // A claim can leave out partitions (endpoints the claimer has enough deliveries in flight to).
      await store.system.transaction(async (tx) => {
        await tx.enqueueJob(job("a.part", { partitionKey: "webhook:busy" }));
        await tx.enqueueJob(job("a.part", { partitionKey: "webhook:idle" }));
        await tx.enqueueJob(job("a.part"));
      });
      const spread = await store.system.transaction((tx) =>
        tx.claimJobs({
          owner: "w1",
          kinds: ["a.part"],
          limit: 10,
          now: at(21),
          leaseUntil: at(50),
          skipPartitions: ["webhook:busy"],
        }),
      );
      expect(spread.map((row) => row.partitionKey).sort()).toEqual([null, "webhook:idle"].sort());
      expect((await store.system.getJob(first.id))?.status).toBe("done");
      const done = await store.system.listJobs({ status: "done", kind: "a.order", limit: 10, offset: 0 });
      expect(done).toMatchObject({ total: 1, jobs: [{ id: first.id }] });
    });

    it("holds a dedupe key for one queued-or-running job, and frees it when that job ends", async () => {
      const first = job("b.dedupe", { dedupeKey: "b:user-1" });
      expect(await store.system.transaction((tx) => tx.enqueueJob(first))).toBe(true);
      expect(await store.system.transaction((tx) => tx.enqueueJob(job("b.dedupe", { dedupeKey: "b:user-1" })))).toBe(
        false,
      );
      expect(await store.system.transaction((tx) => tx.enqueueJob(job("b.dedupe", { dedupeKey: "b:user-2" })))).toBe(
        true,
      );
      const claimed = await claim(store, "w1", 1, ["b.dedupe"], 1);
      expect(claimed.map((row) => row.id)).toEqual([first.id]);
      // Running still holds the key.
      expect(await store.system.transaction((tx) => tx.enqueueJob(job("b.dedupe", { dedupeKey: "b:user-1" })))).toBe(
        false,
      );
      await store.system.transaction((tx) => tx.finishJob(first.id, "w1", { status: "done" }, at(2)));
      expect(await store.system.transaction((tx) => tx.enqueueJob(job("b.dedupe", { dedupeKey: "b:user-1" })))).toBe(
        true,
      );
    });

    it("gives a job whose worker died to another worker once its lease runs out, and kills it after its last attempt", async () => {
      const lost = job("c.lease", { maxAttempts: 2 });
      await store.system.transaction((tx) => tx.enqueueJob(lost));
      expect((await claim(store, "dying", 0, ["c.lease"], 1, 30)).map((row) => row.id)).toEqual([lost.id]);
      // The lease holds: nobody else gets it meanwhile.
      expect(await claim(store, "w2", 29, ["c.lease"])).toEqual([]);
      const [retaken] = await claim(store, "w2", 31, ["c.lease"], 1, 30);
      expect(retaken).toMatchObject({ id: lost.id, attempts: 2, leaseOwner: "w2" });
      // The dead worker's late report changes nothing.
      expect(await store.system.transaction((tx) => tx.finishJob(lost.id, "dying", { status: "done" }, at(32)))).toBe(
        false,
      );
      // A heartbeat keeps the lease; without one, the last attempt's expiry makes it dead.
      expect(await store.system.transaction((tx) => tx.extendJobLease(lost.id, "w2", at(90)))).toBe(true);
      expect(await claim(store, "w3", 70, ["c.lease"])).toEqual([]);
      expect(await claim(store, "w3", 91, ["c.lease"])).toEqual([]);
      expect(await store.system.getJob(lost.id)).toMatchObject({ status: "dead", leaseOwner: null });
      const counts = await store.system.countJobs();
      expect(counts.find((row) => row.kind === "c.lease" && row.status === "dead")?.count).toBe(1);
    });

    it("queues a dead job again for an administrator, unless another job holds its dedupe key", async () => {
      const dying = job("e.retry", { maxAttempts: 1, dedupeKey: "e:user-1" });
      const other = job("e.retry", { maxAttempts: 1 });
      await store.system.transaction(async (tx) => {
        await tx.enqueueJob(dying);
        await tx.enqueueJob(other);
      });
      for (const claimed of await claim(store, "w1", 1, ["e.retry"])) {
        const outcome = { status: "dead", error: "receiver said 410" } as const;
        await store.system.transaction((tx) => tx.finishJob(claimed.id, "w1", outcome, at(2)));
      }
      // Not dead: nothing to retry.
      const queued = job("e.retry");
      await store.system.transaction((tx) => tx.enqueueJob(queued));
      expect(await store.system.transaction((tx) => tx.retryDeadJob(queued.id, at(3)))).toBe(false);
      expect(await store.system.transaction((tx) => tx.retryDeadJob("job-missing", at(3)))).toBe(false);

      expect(await store.system.transaction((tx) => tx.retryDeadJob(other.id, at(3)))).toBe(true);
      expect(await store.system.getJob(other.id)).toMatchObject({
        status: "queued",
        attempts: 0,
        runAt: at(3),
        lastError: "receiver said 410",
      });
      expect(await store.system.transaction((tx) => tx.retryDeadJob(other.id, at(4)))).toBe(false);
      const claimedAgain = await claim(store, "w2", 3, ["e.retry"], 10);
      expect(claimedAgain.map((row) => [row.id, row.attempts])).toEqual([
        [queued.id, 1],
        [other.id, 1],
      ]);

      // A new job took the dead one's dedupe key meanwhile: it does that work, the dead one stays.
      await store.system.transaction((tx) => tx.enqueueJob(job("e.retry", { dedupeKey: "e:user-1" })));
      expect(await store.system.transaction((tx) => tx.retryDeadJob(dying.id, at(5)))).toBe(false);
      expect((await store.system.getJob(dying.id))?.status).toBe("dead");
    });

    it("lets two stores claim 1,000 jobs at once without either ever taking a job the other holds", async () => {
      const total = 1000;
      await store.system.transaction(async (tx) => {
        for (let index = 0; index < total; index++) await tx.enqueueJob(job("d.race"));
      });
      const taken = new Map<string, string>();
      const worker = async (target: Store, owner: string) => {
        for (;;) {
          const batch = await claim(target, owner, 1, ["d.race"], 25, 600);
          if (batch.length === 0) return;
          for (const row of batch) {
            expect(taken.has(row.id), `${row.id} claimed twice`).toBe(false);
            taken.set(row.id, owner);
          }
          await target.system.transaction(async (tx) => {
            for (const row of batch) expect(await tx.finishJob(row.id, owner, { status: "done" }, at(2))).toBe(true);
          });
        }
      };
      await Promise.all([worker(store, "left"), worker(second, "right"), worker(store, "left-2")]);
      expect(taken.size).toBe(total);
      const done = await store.system.listJobs({ status: "done", kind: "d.race", limit: 1, offset: 0 });
      expect(done.total).toBe(total);
    }, 60_000);
  });
}
