import { appendEntry } from "@cairn/core/operations/append-entry";
import { remember } from "@cairn/core/operations/memories";
import { search } from "@cairn/core/operations/search";
import { addTask, deleteTask, updateTask } from "@cairn/core/operations/tasks";
import type { Store } from "@cairn/core/store/store-port";
import { describe, expect, it } from "vitest";
import { contractWriter, suiteStore } from "./contract-writer";
import { hostileQueries } from "./hostile-queries";

let clock = Date.parse("2026-05-01T00:00:00.000Z");
const now = () => new Date(clock);
let ids = 0;
const newId = () => `s${String(++ids).padStart(6, "0")}`;

/** Unified search over entries, memories and tasks (issue 6): ranking rules, filters, paging. Both adapters. */
export function runSearchContract(name: string, factory: { open: () => Promise<Store> }) {
  describe(`Unified search contract: ${name}`, () => {
    let store: Store;
    const { user, other } = suiteStore(factory, "q", (opened) => {
      store = opened;
    });
    const writer = contractWriter(() => store, now, newId);
    const entry = async (content: string, where = "alpha/log", sessionId: string | null = null, userId = user.id) => {
      clock += 60_000;
      const [project = "", thread = ""] = where.split("/");
      const written = await appendEntry(writer(userId), { project, thread, content, author: "test", sessionId });
      return written.id;
    };
    const find = (q: string, extra: Record<string, unknown> = {}) =>
      search({ store: store.forUser(user.id), now }, { q, ...extra } as never);

    it("ranks the exact phrase first, then every word, then some words", async () => {
      const some = await entry("retry retry retry retry, nothing else here");
      const all = await entry("the policy says to retry after a pause");
      const phrase = await entry("our retry policy is three attempts");
      const result = await find("retry policy", { type: "entry" });
      expect(result.hits.map((hit) => hit.id)).toEqual([phrase, all, some]);
      expect(result.hits.map((hit) => hit.match)).toEqual(["phrase", "all", "any"]);
      expect(result.hits[0]?.snippet).toMatch(/<mark>retry/);
    });

    it("ranks a row with every word but one above newer rows with one word", async () => {
      const target = await entry("heron gateway timeout raised to thirty seconds", "omega/log");
      for (let index = 0; index < 30; index++) await entry(`heron note ${index}`, "omega/log");
      const result = await find("heron gateway timeout budget", { type: "entry", limit: 3 });
      expect(result.hits[0]).toMatchObject({ id: target, match: "most" });
    });

    it("puts the newer first at equal relevance, and pages without repeats or gaps", async () => {
      const older = await entry("zebra crossing notes", "beta/log");
      const newer = await entry("zebra crossing notes", "beta/log");
      expect((await find("zebra crossing", { type: "entry" })).hits.map((hit) => hit.id)).toEqual([newer, older]);

      for (let index = 0; index < 5; index++) await entry(`pagination sample ${index}`, "beta/log");
      const whole = (await find("pagination", { limit: 7 })).hits.map((hit) => hit.id);
      expect(whole).toHaveLength(5);
      const paged: string[] = [];
      let cursor: number | null = 0;
      while (cursor !== null) {
        const page: Awaited<ReturnType<typeof find>> = await find("pagination", { limit: 2, cursor });
        paged.push(...page.hits.map((hit) => hit.id));
        cursor = page.nextCursor;
      }
      expect(paged).toEqual(whole);
    });

    it("searches entries, memories and tasks together, with filters and attribution", async () => {
      const session = newId();
      const inSession = await entry("kestrel migration started", "gamma/log", session);
      const memory = await remember(writer(user.id), { project: "gamma", content: "kestrel cutover is on Friday" });
      const task = await addTask(writer(user.id), {
        title: "Finish kestrel rollout",
        description: "after the cutover",
      });
      const projectTask = await addTask(writer(user.id), { title: "kestrel docs", project: "delta" });
      await entry("kestrel in another project", "delta/log");

      const all = await find("kestrel");
      expect(new Set(all.hits.map((hit) => hit.type))).toEqual(new Set(["entry", "memory", "task"]));
      expect(all.size.chars).toBeGreaterThan(0);
      expect(all.size.tokens).toBeGreaterThan(0);

      const types = async (extra: Record<string, unknown>) =>
        (await find("kestrel", extra)).hits.map((hit) => `${hit.type}:${hit.id}`).sort();
      expect(await types({ type: "memory" })).toEqual([`memory:${memory.id}`]);
      expect(await types({ type: "task,memory" })).toEqual(
        [`memory:${memory.id}`, `task:${task.id}`, `task:${projectTask.id}`].sort(),
      );
      // A project takes its own rows and the personal tasks, never another project's.
      expect(await types({ project: "gamma" })).toEqual(
        [`entry:${inSession}`, `memory:${memory.id}`, `task:${task.id}`].sort(),
      );
      expect(await types({ session })).toEqual([`entry:${inSession}`]);
      const hit = (await find("kestrel", { session })).hits[0];
      expect(hit).toMatchObject({ project: "gamma", session, thread: "log", author: "test" });
      expect(await types({ type: "entry", until: "2020-01-01" })).toEqual([]);

      // Tasks are found by description too; an edited title is found by its new words; deleted ones are gone.
      expect((await find("cutover", { type: "task" })).hits.map((found) => found.id)).toEqual([task.id]);
      await updateTask(writer(user.id), { id: task.id, title: "Finish osprey rollout" });
      expect((await find("osprey", { type: "task" })).hits).toMatchObject([
        { id: task.id, title: "Finish osprey rollout" },
      ]);
      await deleteTask(writer(user.id), task.id);
      expect((await find("osprey")).hits).toEqual([]);

      // Another user's rows never show.
      await entry("kestrel of someone else", "alpha/log", null, other.id);
      const theirs = await search({ store: store.forUser(other.id), now }, { q: "kestrel" });
      expect(theirs.hits).toHaveLength(1);
      expect((await find("kestrel")).hits.some((found) => found.snippet.includes("someone else"))).toBe(false);
    });

    it("answers every hostile query string with a list", async () => {
      for (const q of hostileQueries) {
        const result = await find(q);
        expect(Array.isArray(result.hits), q.slice(0, 20)).toBe(true);
      }
      expect((await find("!!! ???")).hits).toEqual([]);
    });
  });
}
