import type { Job } from "@cairn/core/jobs/job-entities";
import { type FakeEmbeddings, startFakeEmbeddings } from "@cairn/server/embeddings/testing/fake-embeddings";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, cairn, cleanup, type ServerProcess, serverBackends, startServer, tempDir } from "./harness";

/**
 * Hybrid search end to end (issue 6) and the durable jobs behind it (issue 7):
 * `cairn serve` processes configured with an OpenAI-compatible embedding
 * provider (a local server speaking the OpenAI embeddings wire format), on
 * SQLite (sqlite-vec) and PostgreSQL (arrays). Writes go through the HTTP API
 * while the embedder answers, hangs or fails; a job runner killed mid-job has
 * its job taken again after the lease.
 */
for (const backend of serverBackends()) {
  describe(`hybrid search and jobs: ${backend.name}`, () => {
    const dir = tempDir(`hybrid-${backend.name}`);
    let fake: FakeEmbeddings;
    let server: ServerProcess;
    let token = "";
    const databaseUrl = backend.databaseUrl();
    const env = (extra: Record<string, string> = {}) => ({
      CAIRN_EMBEDDING_PROVIDER: "openai-compatible",
      CAIRN_EMBEDDING_BASE_URL: fake.url,
      CAIRN_EMBEDDING_MODEL: "concepts-v1",
      CAIRN_EMBEDDING_API_KEY: "embed-key",
      CAIRN_EMBEDDING_SCAN_MS: "100",
      CAIRN_JOB_POLL_MS: "50",
      CAIRN_QUERY_EMBEDDING_TIMEOUT_MS: "300",
      ...extra,
    });
    const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
      const response = await fetch(`${server.url}${path}`, {
        method: init.method ?? "GET",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    type Page = { hits: { id: string; match: string }[]; retrieval: string; warning?: string };
    const find = async (q: string, project: string) =>
      (await api(`/api/search?q=${encodeURIComponent(q)}&project=${project}`)).body as unknown as Page;
    const remember = async (content: string, project: string) => {
      const created = await api("/api/memories", { method: "POST", body: { content, project } });
      expect(created.status).toBe(201);
      return (created.body.memory as { id: string } | undefined)?.id ?? (created.body.id as string);
    };
    /** Waits until a search by meaning alone finds `id`. */
    const foundByMeaning = async (q: string, project: string, id: string) => {
      for (let tries = 0; tries < 200; tries++) {
        const page = await find(q, project);
        if (page.hits.some((hit) => hit.id === id && hit.match === "semantic")) return page;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`${id} never found by meaning for "${q}"`);
    };

    beforeAll(async () => {
      fake = await startFakeEmbeddings();
      const user = await addUser(dir, dir, "hybrid", databaseUrl, { create: true });
      token = user.token;
      server = await startServer({ dataDir: dir, ...(databaseUrl ? { databaseUrl } : {}), env: env() });
    });
    afterAll(async () => {
      await server?.stop();
      await fake?.close();
      await backend.dispose();
      cleanup(dir);
    });

    it("says it is hybrid in /readyz, embeds after the write, and finds by meaning", async () => {
      const ready = (await (await fetch(`${server.url}/readyz`)).json()) as Record<string, unknown>;
      expect(ready.search).toEqual({
        mode: "hybrid",
        embeddings: { provider: "openai-compatible", model: "concepts-v1" },
        vectors: backend.name === "sqlite" ? "sqlite-vec" : "postgres-arrays",
      });
      expect(ready.jobs).toMatchObject({ dead: 0 });

      const car = await remember("Parked the sedan in bay 4", "garage");
      const other = await remember("The forecast says rain", "garage");
      // "automobile" is in neither memory: only the vectors can find the sedan.
      const page = await foundByMeaning("automobile", "garage", car);
      // Both memories reach the embedder (the second may be a batch after the first).
      await foundByMeaning("umbrella", "garage", other);
      expect(page.retrieval).toBe("hybrid");
      expect(page.hits[0]?.id).toBe(car);
      expect(page.hits.map((hit) => hit.id)).not.toContain(undefined);
      expect(fake.inputs.flat()).toEqual(
        expect.arrayContaining(["Parked the sedan in bay 4", "The forecast says rain"]),
      );
      expect(other).not.toBe(car);
    });

    it("never makes a write wait on the embedder, and searches by BM25 alone while it hangs", async () => {
      fake.mode = "hang";
      const held = await remember("Truck tyres need replacing", "fleet");
      for (let tries = 0; fake.hanging === 0 && tries < 200; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(fake.hanging).toBeGreaterThan(0);
      // The embedding job is stuck on its call; writes still answer.
      const next = await remember("Truck insurance renewed", "fleet");
      expect(fake.hanging).toBeGreaterThan(0);
      const page = await find("truck", "fleet");
      expect(page.retrieval).toBe("bm25");
      expect(page.warning).toMatch(/BM25/);
      expect(page.hits.map((hit) => hit.id).sort()).toEqual([held, next].sort());
      fake.release();
      await foundByMeaning("vehicle", "fleet", held);
    });

    it("keeps writes and searches working while the embedder fails, and embeds once it is back", async () => {
      fake.mode = "down";
      const written = await remember("Engine oil changed at 40k", "workshop");
      const page = await find("engine", "workshop");
      expect(page.hits.map((hit) => hit.id)).toEqual([written]);
      expect(page.warning).toMatch(/BM25/);
      // The job retries (1 s, then 2 s); after the first failure it is queued with its error.
      let failed: Job | undefined;
      for (let tries = 0; !failed && tries < 100; tries++) {
        const listed = (
          await cairn(dir, [
            "admin",
            "jobs",
            "--kind",
            "embeddings.user",
            "--json",
            ...(databaseUrl ? ["--database-url", databaseUrl] : ["--data", dir]),
          ])
        ).json<{ jobs: Job[] }>();
        failed = listed.jobs.find((job) => job.lastError !== null && job.status === "queued");
        if (!failed) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(failed?.lastError).toMatch(/500|error/i);
      fake.mode = "ok";
      await foundByMeaning("automobile", "workshop", written);
    });

    it("takes a job again after its lease when the server running it is killed mid-job", async () => {
      await server.stop();
      // This server SIGKILLs itself as soon as a job starts; its lease is 1 s.
      const crashing = await startServer({
        dataDir: dir,
        ...(databaseUrl ? { databaseUrl } : {}),
        env: env({ CAIRN_TEST_CRASH_AT: "job.running", CAIRN_JOB_LEASE_MS: "1000" }),
      });
      await crashing.exited;
      const where = databaseUrl ? ["--database-url", databaseUrl] : ["--data", dir];
      const jobs = async () =>
        (await cairn(dir, ["admin", "jobs", "--limit", "200", "--json", ...where])).json<{ jobs: Job[] }>().jobs;
      const orphan = (await jobs()).find((job) => job.status === "running");
      expect(orphan).toBeDefined();
      server = await startServer({ dataDir: dir, ...(databaseUrl ? { databaseUrl } : {}), env: env() });
      // Taken again once the dead server's lease ran out, and finished: done, or (a recurring job)
      // queued for its next run.
      let after: Job | undefined;
      for (let tries = 0; tries < 200; tries++) {
        after = (await jobs()).find((job) => job.id === orphan?.id);
        if (after && after.status !== "running") break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(["done", "queued"]).toContain(after?.status);
      expect(after?.leaseOwner).toBeNull();
      expect(after?.lastError).toBeNull();
      expect(Date.parse(after?.updatedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(orphan?.leaseUntil ?? ""));
    });
  });
}
