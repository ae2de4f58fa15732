import { embedChanges, embeddingConsumer } from "@cairn/core/embeddings/embed-changes";
import type { Embedder } from "@cairn/core/embeddings/embedder";
import { conceptVector } from "@cairn/core/embeddings/testing/concept-vectors";
import { appendEntry } from "@cairn/core/operations/append-entry";
import { deleteThread } from "@cairn/core/operations/delete-thread";
import { forgetMemory, remember, updateMemory } from "@cairn/core/operations/memories";
import { search } from "@cairn/core/operations/search";
import { addTask, deleteTask } from "@cairn/core/operations/tasks";
import type { Store } from "@cairn/core/store/store-port";
import { describe, expect, it } from "vitest";
import { contractWriter, suiteStore } from "./contract-writer";

let clock = Date.parse("2026-07-01T00:00:00.000Z");
const now = () => new Date(clock);
let ids = 0;
const newId = () => `v${String(++ids).padStart(6, "0")}`;

/** An embedder over the concept vectors that counts its calls and can be made to fail. */
function conceptEmbedder() {
  const state = { calls: 0, texts: 0, down: false };
  const embedder: Embedder = {
    provider: "test",
    model: "concepts-v1",
    async embed(texts) {
      state.calls += 1;
      if (state.down) throw new Error("connect ECONNREFUSED 127.0.0.1:9");
      state.texts += texts.length;
      return texts.map(conceptVector);
    },
  };
  return { embedder, state };
}

/**
 * Embeddings and hybrid search (issue 6) on both adapters: the change feed
 * drives what is embedded, vectors rank by cosine with the search filters,
 * deleted rows drop out, reciprocal rank fusion reorders BM25 as designed, and
 * an embedder that is down fails neither the write nor the search.
 */
export function runEmbeddingContract(name: string, factory: { open: () => Promise<Store> }) {
  describe(`Embedding contract: ${name}`, () => {
    let store: Store;
    const { user, other } = suiteStore(factory, "e", (opened) => {
      store = opened;
    });
    const writer = contractWriter(() => store, now, newId);
    const { embedder, state } = conceptEmbedder();
    const entry = async (content: string, where = "cars/log", userId = user.id, sessionId: string | null = null) => {
      clock += 60_000;
      const [project = "", thread = ""] = where.split("/");
      return (await appendEntry(writer(userId), { project, thread, content, author: "test", sessionId })).id;
    };
    const catchUp = (userId = user.id) =>
      embedChanges({ store: store.forUser(userId), embedder, now }, { batchSize: 4, maxBatches: 100 });
    const nearest = async (text: string, extra: Record<string, unknown> = {}) =>
      (
        await store.forUser(user.id).nearestRows({
          type: "entry",
          model: embedder.model,
          vector: conceptVector(text),
          limit: 10,
          ...extra,
        })
      ).map((hit) => hit.id);

    it("embeds what the change feed holds, once, and ranks it by meaning with the filters", async () => {
      const session = newId();
      const car = await entry("the automobile needs a new engine", "cars/log", user.id, session);
      const rain = await entry("heavy rain and a storm tomorrow", "cars/log");
      const db = await entry("postgres schema migration", "infra/log");
      const theirs = await entry("my truck engine", "cars/log", other.id);
      // (On PostgreSQL the other contracts' users share the schema: only these two are looked at.)
      const behind = async () =>
        (await store.system.usersBehindFeed(embeddingConsumer(embedder.model), 1000)).filter(
          (id) => id === user.id || id === other.id,
        );
      expect(await behind()).toEqual([user.id, other.id].sort());

      const first = await catchUp();
      expect(first).toMatchObject({ embedded: 3, more: false });
      expect(await store.forUser(user.id).countEmbeddings(embedder.model)).toBe(3);
      expect(await behind()).toEqual([other.id]);
      const again = await catchUp();
      expect(again).toMatchObject({ embedded: 0, more: false });

      expect((await nearest("car"))[0]).toBe(car);
      expect((await nearest("umbrella forecast"))[0]).toBe(rain);
      const [top] = await store.forUser(user.id).nearestRows({
        type: "entry",
        model: embedder.model,
        vector: conceptVector("vehicle"),
        limit: 1,
      });
      expect(top).toMatchObject({ id: car, project: "cars", session, thread: "log", author: "test" });
      expect(top?.similarity).toBeGreaterThan(0.99);
      expect(await nearest("car", { projectId: "infra" })).toEqual([db]);
      expect(await nearest("car", { sessionId: session })).toEqual([car]);
      expect(await nearest("car", { until: "2020-01-01T00:00:00.000Z" })).toEqual([]);
      // Another user's rows are never compared, even once embedded.
      await catchUp(other.id);
      expect(await nearest("truck")).not.toContain(theirs);
      // Another model's vectors are not compared either.
      expect(
        await store.forUser(user.id).nearestRows({
          type: "entry",
          model: "other-model",
          vector: conceptVector("car"),
          limit: 5,
        }),
      ).toEqual([]);
    });

    it("follows edits and deletes of memories, tasks and threads", async () => {
      const memory = await remember(writer(user.id), { project: "cars", content: "the sedan is parked outside" });
      const task = await addTask(writer(user.id), { title: "Book the car service", project: "cars" });
      const doomed = await entry("storm damage on the truck", "trash/log");
      await catchUp();
      const nearestOf = async (type: "memory" | "task" | "entry", text: string) =>
        (
          await store
            .forUser(user.id)
            .nearestRows({ type, model: embedder.model, vector: conceptVector(text), limit: 5 })
        ).map((hit) => hit.id);
      expect(await nearestOf("memory", "vehicle")).toEqual([memory.id]);
      expect(await nearestOf("task", "automobile")).toEqual([task.id]);

      clock += 60_000;
      await updateMemory(writer(user.id), {
        id: memory.id,
        content: "forecast says rain all week",
      });
      await catchUp();
      const [edited] = await store.forUser(user.id).nearestRows({
        type: "memory",
        model: embedder.model,
        vector: conceptVector("weather"),
        limit: 1,
      });
      expect(edited).toMatchObject({ id: memory.id, snippet: "forecast says rain all week" });
      expect(edited?.similarity).toBeGreaterThan(0.99);

      await forgetMemory(writer(user.id), memory.id);
      await deleteTask(writer(user.id), task.id);
      await deleteThread(writer(user.id), { project: "trash", thread: "log" });
      await catchUp();
      expect(await nearestOf("memory", "weather")).toEqual([]);
      expect(await nearestOf("task", "car")).toEqual([]);
      expect(await nearestOf("entry", "storm truck")).not.toContain(doomed);
    });

    it("fuses BM25 with vectors: a row both rank high comes first, a row only meaning finds still shows", async () => {
      const meaningOnly = await entry("automobile and truck", "fusion/log");
      const wordy = await entry("car car car car car: rain, storm, forecast, umbrella, weather", "fusion/log");
      // The same vector as meaningOnly (two vehicle words), and newer: first of the vector list.
      const both = await entry("car engine", "fusion/log");
      await catchUp();
      const lexical = await search({ store: store.forUser(user.id), now }, { q: "car", project: "fusion" });
      expect(lexical.retrieval).toBe("bm25");
      expect(lexical.hits.map((hit) => hit.id)).toEqual([wordy, both]);

      const hybrid = await search({ store: store.forUser(user.id), now, embedder }, { q: "car", project: "fusion" });
      expect(hybrid.retrieval).toBe("hybrid");
      expect(hybrid.hits.map((hit) => hit.id)).toEqual([both, wordy, meaningOnly]);
      expect(hybrid.hits.map((hit) => hit.match)).toEqual(["all", "all", "semantic"]);
      expect(hybrid.hits[0]?.snippet).toContain("<mark>car</mark>");
      // Paging the fused list: no repeat, no gap.
      const first = await search(
        { store: store.forUser(user.id), now, embedder },
        { q: "car", project: "fusion", limit: 2 },
      );
      const second = await search(
        { store: store.forUser(user.id), now, embedder },
        {
          q: "car",
          project: "fusion",
          limit: 2,
          cursor: first.nextCursor ?? 0,
        },
      );
      expect([...first.hits, ...second.hits].map((hit) => hit.id)).toEqual([both, wordy, meaningOnly]);
      expect(second.nextCursor).toBeNull();
    });

    it("never lets an embedder that is down fail a write or a search", async () => {
      state.down = true;
      try {
        const written = await entry("car alarm went off in the rain", "down/log");
        await expect(catchUp()).rejects.toThrow(/ECONNREFUSED/);
        // The cursor did not move: the job's retry embeds the row once the model is back.
        expect(await store.system.usersBehindFeed(embeddingConsumer(embedder.model), 1000)).toContain(user.id);
        const result = await search({ store: store.forUser(user.id), now, embedder }, { q: "alarm", project: "down" });
        expect(result).toMatchObject({ retrieval: "bm25", warning: expect.stringMatching(/BM25/) });
        expect(result.hits.map((hit) => hit.id)).toEqual([written]);
        state.down = false;
        expect(await catchUp()).toMatchObject({ embedded: 1 });
        expect(await nearest("car", { projectId: "down" })).toEqual([written]);
      } finally {
        state.down = false;
      }
    });
  });
}
