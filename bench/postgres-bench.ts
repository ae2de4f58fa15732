import { randomBytes } from "node:crypto";
import type { Entry } from "@cairn/core/entities";
import { applyPush } from "@cairn/core/operations/apply-push";
import { search as unifiedSearch } from "@cairn/core/operations/search";
import { PostgresStore } from "@cairn/store/postgres/postgres-store";
import pg from "pg";
import { type LatencySet, measureAsync } from "./search-bench";

type Latency = { p50: number; p99: number };

/**
 * (d) PostgreSQL ingest, in process (no HTTP): the same rows through applyPush
 * in batches of 500, against raw multi-row inserts of them into the same
 * schema (tsvector + GIN), 500 per statement.
 */
export async function postgresIngest(
  connectionString: string,
  entries: Entry[],
  searchSets: LatencySet[] = [],
): Promise<{ cairn: number; raw: number; search: { name: string; ours: Latency; plain: Latency }[] }> {
  const schema = `cairn_bench_${randomBytes(4).toString("hex")}`;
  const store = await PostgresStore.open({ connectionString, schema });
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    await store.system.transaction(async (tx) => {
      await tx.createUser({ id: "raw", name: "raw", createdAt: "2026-01-01T00:00:00.000Z" });
      await tx.createUser({ id: "cairn", name: "cairn", createdAt: "2026-01-01T00:00:00.000Z" });
    });
    await admin.query(`SET search_path = ${schema}`);
    let started = process.hrtime.bigint();
    for (let offset = 0; offset < entries.length; offset += 500) {
      const rows = entries.slice(offset, offset + 500);
      await admin.query(
        `INSERT INTO entries (id, user_id, project_id, thread_id, session_id, author, content, created_at, seq)
         SELECT id, 'raw', project_id, thread_id, NULL, author, content, created_at, seq
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::bigint[])
           AS t(id, project_id, thread_id, author, content, created_at, seq)`,
        [
          rows.map((row) => row.id),
          rows.map((row) => row.projectId),
          rows.map((row) => row.threadId),
          rows.map((row) => row.author),
          rows.map((row) => row.content),
          rows.map((row) => row.createdAt),
          rows.map((_, index) => offset + index + 1),
        ],
      );
    }
    const raw = entries.length / (Number(process.hrtime.bigint() - started) / 1e9);

    started = process.hrtime.bigint();
    for (let offset = 0; offset < entries.length; offset += 500) {
      await applyPush(
        { store: store.forUser("cairn"), now: () => new Date() },
        {
          pushVersion: 1,
          deviceId: "bench",
          scope: { userId: "cairn" },
          mutations: entries.slice(offset, offset + 500).map((entry, index) => ({
            seq: offset + index + 1,
            op: "entry.append",
            args: { ...entry, sessionId: null },
            clientTime: entry.createdAt,
          })),
        },
      );
    }
    const cairn = entries.length / (Number(process.hrtime.bigint() - started) / 1e9);
    await admin.query("ANALYZE entries");
    // Unified search on this database, against the plain ranked query (every match ranked by ts_rank).
    const search: { name: string; ours: Latency; plain: Latency }[] = [];
    for (const set of searchSets) {
      const ours = await measureAsync(set.queries, async (query) => {
        await unifiedSearch({ store: store.forUser("cairn") }, { q: query, limit: 20 });
      });
      const plain = await measureAsync(set.queries, async (query) => {
        await admin.query(
          `SELECT id FROM entries, plainto_tsquery('simple', $1) q WHERE user_id = 'cairn' AND tsv @@ q
           ORDER BY ts_rank(tsv, q) DESC LIMIT 20`,
          [query],
        );
      });
      search.push({ name: set.name, ours, plain });
    }
    return { cairn, raw, search };
  } finally {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}
