import type { Entry, Memory } from "@cairn/core/entities";
import { applyPush } from "@cairn/core/operations/apply-push";
import { getThread } from "@cairn/core/operations/get-thread";
import type { Store, UserStore, UserTx } from "@cairn/core/store/store-port";
import { describe, expect, it } from "vitest";
import { suiteStore } from "./contract-writer";
import { entryMutation, now, push } from "./push-fixtures";

/**
 * A write the real database refuses, of the kind each engine refuses: a year PostgreSQL's
 * timestamptz cannot hold (an entry: written in a batch, so refused later, at the next
 * statement or at commit), a NULL in SQLite's NOT NULL memory text (refused at once).
 */
async function refusedWrite(kind: Store["kind"], tx: UserTx, id: string, seq: number) {
  if (kind === "postgres") {
    const entry: Entry = {
      id,
      threadId: "refused",
      projectId: "alpha",
      sessionId: null,
      author: "test",
      content: "refused",
      createdAt: "0000-01-01T00:00:00.000Z",
      deletedAt: null,
    };
    return tx.insertEntry(entry, seq);
  }
  const at = now().toISOString();
  const memory: Memory = {
    id,
    projectId: "alpha",
    sessionId: null,
    kind: "note",
    content: null as unknown as string,
    tags: [],
    createdAt: at,
    updatedAt: at,
    version: "0000000000001.0000.test",
    deletedAt: null,
  };
  return tx.putMemory(memory, seq);
}

/** A user's rows, except that writing the entry `poisonId` meets a value the database refuses (`refusedWrite`). */
function refusingEntry(kind: Store["kind"], store: UserStore, poisonId: string): UserStore {
  const bind = <T extends object>(target: T, key: string | symbol) => {
    const value = Reflect.get(target, key);
    return typeof value === "function" ? value.bind(target) : value;
  };
  const refusingTx = (tx: UserTx): UserTx =>
    new Proxy(tx, {
      get: (target, key) =>
        key === "insertEntry"
          ? (entry: Entry, seq: number, changedBy?: string | null) =>
              entry.id === poisonId
                ? refusedWrite(kind, target, entry.id, seq)
                : target.insertEntry(entry, seq, changedBy)
          : bind(target, key),
    });
  return new Proxy(store, {
    get: (target, key) =>
      key === "transaction"
        ? <T>(work: (tx: UserTx) => Promise<T>) => target.transaction((tx) => work(refusingTx(tx)))
        : bind(target, key),
  });
}

/**
 * What the database or the protocol refuses, on both adapters: a write the database refuses
 * undoes its savepoint alone, a pushed mutation it refuses is rejected alone while the rest of
 * the batch applies, and a push from a copied device is refused as forked.
 */
export function runRefusalContract(name: string, factory: { open: () => Promise<Store> }) {
  describe(`Refusal contract: ${name}`, () => {
    let store: Store;
    const { user } = suiteStore(factory, "refusal", (opened) => {
      store = opened;
    });

    it("undoes a failed savepoint alone, and calls the database's refusal a data error", async () => {
      const entry = (id: string, userId: string, createdAt: string) => ({
        userId,
        entry: {
          id,
          threadId: "saved",
          projectId: "alpha",
          sessionId: null,
          author: "test",
          content: `savepoint ${id}`,
          createdAt,
          deletedAt: null,
        },
      });
      let refusal: unknown = null;
      await store.forUser(user.id).transaction(async (tx) => {
        const good = entry("sp-good", user.id, now().toISOString());
        await tx.savepoint(() => tx.insertEntry(good.entry, 1));
        // Refused by each database for its own reason; the refusal surfaces inside the savepoint
        // (on PostgreSQL, whose entries are written in batches, only because it writes them through).
        try {
          await tx.savepoint(() => refusedWrite(store.kind, tx, "sp-bad", 2));
        } catch (error) {
          refusal = error;
        }
        const after = entry("sp-after", user.id, now().toISOString());
        await tx.insertEntry(after.entry, 3);
      });
      expect(refusal).not.toBeNull();
      expect(store.isDataError(refusal)).toBe(true);
      expect(store.isDataError(new Error("connection lost"))).toBe(false);
      expect((await store.forUser(user.id).getEntry("sp-good"))?.content).toBe("savepoint sp-good");
      expect(await store.forUser(user.id).getEntry("sp-bad")).toBeNull();
      expect(await store.forUser(user.id).getMemory("sp-bad")).toBeNull();
      expect((await store.forUser(user.id).getEntry("sp-after"))?.content).toBe("savepoint sp-after");
    });

    it("rejects alone a pushed mutation the database refuses, and applies the rest of its batch", async () => {
      // A mutation that passes its schema but not the database (none is known today: this
      // injects one at the port, refused by the real database as in the test above).
      const refusing = refusingEntry(store.kind, store.forUser(user.id), "push-poison");
      const request = push(user.id, "dev-refused", [
        entryMutation(1, "push-before", "before the refused one", "refused"),
        entryMutation(2, "push-poison", "refused by the database", "refused"),
        entryMutation(3, "push-after", "after the refused one", "refused"),
      ]);
      const result = await applyPush({ store: refusing, now }, request);
      expect(result.results.map((entry) => entry.status)).toEqual(["applied", "rejected", "applied"]);
      expect(result.results[1]?.reason).toMatch(/^invalid_input: the database refused/);
      expect(result.lastAppliedSeq).toBe(3);
      const thread = await getThread({ store: store.forUser(user.id) }, { thread: "refused", project: "alpha" });
      expect(thread.entries.map((entry) => entry.id)).toEqual(["push-before", "push-after"]);
      const replay = await applyPush({ store: refusing, now }, request);
      expect(replay.results.map((entry) => entry.status)).toEqual(["duplicate", "rejected", "duplicate"]);
    });

    it("refuses a push from a copy of a device whose other copy already pushed further", async () => {
      const first = await applyPush(
        { store: store.forUser(user.id), now },
        {
          ...push(user.id, "dev-copied", [entryMutation(1, "fork-1", "one"), entryMutation(2, "fork-2", "two")]),
          sentThrough: 0,
        },
      );
      expect(first.lastAppliedSeq).toBe(2);
      // The copy was made when seq 1 had been sent: its seq 2 is another row than the server's seq 2.
      const copy = {
        ...push(user.id, "dev-copied", [entryMutation(2, "fork-copy-2", "the copy's two")]),
        sentThrough: 1,
      };
      await expect(applyPush({ store: store.forUser(user.id), now }, copy)).rejects.toMatchObject({
        code: "conflict",
        details: { reason: "device_forked", lastAppliedSeq: 2 },
      });
      expect(await store.forUser(user.id).getEntry("fork-copy-2")).toBeNull();
      // The device itself, resending what it sent (an answer it lost), is a duplicate as ever.
      const resent = await applyPush(
        { store: store.forUser(user.id), now },
        {
          ...push(user.id, "dev-copied", [entryMutation(2, "fork-2", "two")]),
          sentThrough: 2,
        },
      );
      expect(resent.results.map((entry) => entry.status)).toEqual(["duplicate"]);
    });
  });
}
