import { appendEntry } from "@cairn/core/operations/append-entry";
import { resolveRef } from "@cairn/core/operations/citation-ref";
import { getThread } from "@cairn/core/operations/get-thread";
import { remember } from "@cairn/core/operations/memories";
import { search } from "@cairn/core/operations/search";
import { addTask } from "@cairn/core/operations/tasks";
import { deleteEntry } from "@cairn/core/operations/trash";
import type { Store } from "@cairn/core/store/store-port";
import { describe, expect, it } from "vitest";
import { contractWriter, suiteStore } from "./contract-writer";
import { hostileQueries } from "./hostile-queries";

let clock = Date.parse("2026-05-01T00:00:00.000Z");
const now = () => new Date(clock);
let ids = 0;
/** Ids the next writes take, in order (for the reference tests); then generated ones. */
const nextIds: string[] = [];
const newId = () => nextIds.shift() ?? `r${String(++ids).padStart(6, "0")}`;

export interface RecallFactory {
  open: () => Promise<Store>;
  /** A store on a database of its own (`name`), migrated only up to `migrateUpTo` when given. */
  openNamed: (name: string, migrateUpTo?: string) => Promise<Store>;
}

/** The migration before stemmed full text (issue 14): a store as the release before it left it. */
const beforeStemming = "server/011-alerts-released";

/**
 * Recall (issue 14) on both adapters: stemmed full text for every type, stop words, the migration
 * that rebuilds the indexes in place, dates in the question, neighbours and replies, and the
 * references citations give.
 */
export function runRecallContract(name: string, factory: RecallFactory) {
  describe(`Recall contract: ${name}`, () => {
    let store: Store;
    const { user } = suiteStore(factory, "recall", (opened) => {
      store = opened;
    });
    const writer = contractWriter(() => store, now, newId);
    const entry = async (content: string, where = "alpha/log", author = "test") => {
      clock += 60_000;
      const [project = "", thread = ""] = where.split("/");
      return (await appendEntry(writer(user.id), { project, thread, content, author, sessionId: null })).id;
    };
    const find = (q: string, extra: Record<string, unknown> = {}) =>
      search({ store: store.forUser(user.id), now }, { q, ...extra } as never);

    it("finds a word in another form, in entries, memories and tasks", async () => {
      const camping = await entry("We went camping by the lake last weekend", "forms/log");
      const memory = await remember(writer(user.id), {
        project: "forms",
        content: "The TLS certificate expires in May",
      });
      const task = await addTask(writer(user.id), { title: "Passport", description: "renew it before the trip" });
      expect((await find("camped", { type: "entry" })).hits.map((hit) => hit.id)).toEqual([camping]);
      expect((await find("expire", { type: "memory" })).hits.map((hit) => hit.id)).toEqual([memory.id]);
      expect((await find("renewing", { type: "task" })).hits.map((hit) => hit.id)).toEqual([task.id]);
      // The engines stem the query too: the store's own search finds the form.
      const direct = await store.forUser(user.id).searchEntries({ terms: ["camps"], limit: 5, offset: 0 });
      expect(direct.map((hit) => hit.id)).toEqual([camping]);
      // The snippet marks the word as written.
      expect((await find("camped", { type: "entry" })).hits[0]?.snippet).toContain("<mark>camping</mark>");
    });

    it("finds a query of stop words only, and ranks the exact phrase first", async () => {
      const scattered = await entry("be kind, and not only to those who want to be", "stop/log");
      const phrase = await entry("to be or not to be, that is the question", "stop/log");
      await entry("nothing in common here", "stop/log");
      const hits = (await find("to be or not to be", { project: "stop" })).hits;
      expect(hits.map((hit) => hit.id)).toEqual([phrase, scattered]);
      expect(hits[0]?.match).toBe("phrase");
    });

    it("ranks the row with the question's rare word above rows with its common ones", async () => {
      const rare = await entry("the flamingo was moved to the north pen", "zoo/log");
      for (let index = 0; index < 12; index++) await entry(`feeding schedule moved again, pen ${index}`, "zoo/log");
      const hits = (await find("when was the flamingo feeding schedule moved?", { project: "zoo" })).hits;
      expect(hits[0]?.id).toBe(rare);
    });

    it("prefers rows of the day a question names", async () => {
      clock = Date.parse("2026-07-06T10:00:00.000Z");
      await entry("deployed the billing service", "dates/log");
      clock = Date.parse("2026-07-07T10:00:00.000Z");
      const seventh = await entry("deployed the billing service", "dates/log");
      clock = Date.parse("2026-07-09T10:00:00.000Z");
      await entry("deployed the billing service", "dates/log");
      const hits = (await find("what did we deploy on 7 July, 2026?", { project: "dates" })).hits;
      expect(hits[0]?.id).toBe(seventh);
    });

    it("puts the reply to a matching question just below it, and carries neighbours when asked", async () => {
      const before = await entry("Morning! Long week.", "talk/chat", "ana");
      const question = await entry("Do you take the kids to the park often?", "talk/chat", "ana");
      const reply = await entry("Yeah, a few times a week.", "talk/chat", "ben");
      await entry("Unrelated: the boiler is fixed.", "talk/chat", "ana");
      const hits = (await find("how often does ben take the kids to the park", { project: "talk" })).hits;
      const ids = hits.map((hit) => hit.id);
      expect(ids.slice(0, 2)).toEqual([question, reply]);
      const withNeighbours = await find("kids park", { project: "talk", type: "entry", neighbours: 1, limit: 1 });
      expect(withNeighbours.hits[0]).toMatchObject({
        id: question,
        neighbours: {
          before: [{ id: before, author: "ana", content: "Morning! Long week." }],
          after: [{ id: reply, author: "ben" }],
        },
      });
    });

    it("opens a long thread at the page around one entry (a permalink), skipping deleted ones", async () => {
      const ids: string[] = [];
      for (let index = 0; index < 30; index++) ids.push(await entry(`long thread line ${index}`, "long/thread"));
      await deleteEntry(writer(user.id), ids[3] as string);
      const page = await getThread(
        { store: store.forUser(user.id) },
        { thread: "thread", project: "long", around: ids[20], limit: 10 },
      );
      // 19 live entries before the 21st (one of the first twenty is deleted): the page starts 5 before it.
      expect(page.offset).toBe(14);
      expect(page.entries.map((each) => each.id)).toEqual(ids.filter((_, index) => index !== 3).slice(14, 24));
      expect(page.entries.map((each) => each.id)).toContain(ids[20]);
      expect(
        await store
          .forUser(user.id)
          .entryPosition({ projectId: "long", threadId: "thread", entryId: ids[0] as string }),
      ).toBe(0);
      await expect(
        getThread({ store: store.forUser(user.id) }, { thread: "thread", project: "long", around: ids[3] }),
      ).rejects.toMatchObject({ code: "not_found" });
      expect(
        await store
          .forUser("someone-else")
          .entryPosition({ projectId: "long", threadId: "thread", entryId: ids[20] as string }),
      ).toBeNull();
    });

    it("answers every hostile query string with a list", async () => {
      for (const q of hostileQueries) {
        const result = await find(q, { neighbours: 2 });
        expect(Array.isArray(result.hits), q.slice(0, 20)).toBe(true);
      }
    });

    it("resolves references: whole ids, and the old short form where it names one entry", async () => {
      nextIds.push("01JREFSAMEMS0000000000000A", "01JREFSAMEMS0000000000000B", "01JREFOTHERM0000000000000C");
      const first = await entry("first of a batch", "refs/batch");
      const second = await entry("second of the batch", "refs/batch");
      const alone = await entry("written a millisecond later", "refs/batch");
      const reads = store.forUser(user.id);
      expect((await resolveRef(reads, `thread:batch#${second}`)).ref).toBe(`thread:batch#${second}`);
      const short = await resolveRef(reads, `thread:batch#${alone.slice(0, 10)}`);
      expect(short).toMatchObject({ type: "entry", ref: `thread:batch#${alone}`, entry: { id: alone } });
      await expect(resolveRef(reads, `thread:batch#${first.slice(0, 10)}`)).rejects.toMatchObject({ code: "conflict" });
      await expect(resolveRef(reads, `thread:other#${first}`)).rejects.toMatchObject({ code: "not_found" });
      await expect(resolveRef(reads, "thread:batch")).rejects.toMatchObject({ code: "bad_request" });
      const memory = await remember(writer(user.id), { project: "refs", content: "a fact" });
      expect(await resolveRef(reads, `memory:${memory.id}`)).toMatchObject({
        type: "memory",
        memory: { id: memory.id },
      });
      // Another user's row is not found.
      const theirs = store.forUser("recall-other");
      await expect(resolveRef(theirs, `thread:batch#${second}`)).rejects.toMatchObject({ code: "not_found" });
    });

    it("migrates a store of the release before stemming in place: every row stays, and word forms find them", async () => {
      const old = await factory.openNamed("before-stemming", beforeStemming);
      const owner = { id: "migrated", name: "migrated", createdAt: "2026-01-01T00:00:00.000Z" };
      await old.system.transaction((tx) => tx.createUser(owner));
      const oldWriter = contractWriter(() => old, now, newId)(owner.id);
      const written: string[] = [];
      for (let index = 0; index < 30; index++) {
        clock += 1_000;
        const row = await appendEntry(oldWriter, {
          project: "camp",
          thread: "log",
          content: `day ${index}: camping again`,
          author: "test",
          sessionId: null,
        });
        written.push(row.id);
      }
      const memory = await remember(oldWriter, { project: "camp", content: "the permit expires in June" });
      const task = await addTask(oldWriter, { title: "Buy tents" });
      await old.close();

      const migrated = await factory.openNamed("before-stemming");
      try {
        const reads = migrated.forUser(owner.id);
        const found = await reads.searchEntries({ terms: ["camped"], limit: 50, offset: 0 });
        expect(found.map((hit) => hit.id).sort()).toEqual([...written].sort());
        expect((await reads.searchMemories({ terms: ["expire"], limit: 5, offset: 0 })).map((hit) => hit.id)).toEqual([
          memory.id,
        ]);
        expect((await reads.searchTasks({ terms: ["tent"], limit: 5, offset: 0 })).map((hit) => hit.id)).toEqual([
          task.id,
        ]);
        // Rows written after the migration are indexed as before.
        const after = await appendEntry(contractWriter(() => migrated, now, newId)(owner.id), {
          project: "camp",
          thread: "log",
          content: "we camped once more",
          author: "test",
          sessionId: null,
        });
        const again = await reads.searchEntries({ terms: ["camp"], limit: 50, offset: 0 });
        expect(again).toHaveLength(31);
        expect(again.map((hit) => hit.id)).toContain(after.id);
      } finally {
        await migrated.close();
      }
    });
  });
}
