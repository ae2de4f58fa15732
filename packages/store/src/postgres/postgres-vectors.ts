import type { VectorBackend } from "@cairn/core/store/store-types";
import type { Dialect } from "../shared/feature-queries";
import type { Queryable } from "./queryable";

export type PostgresVectorBackend = Extract<VectorBackend, "pgvector" | "postgres-arrays">;

/**
 * Whether this database has pgvector, detected at start: installed, or
 * available and creatable by us. Embeddings are stored as real[] either way,
 * so a database gains or loses pgvector without a migration.
 */
export async function detectPgvector(db: Queryable): Promise<PostgresVectorBackend> {
  try {
    const installed = await db.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'");
    if (installed.rowCount) return "pgvector";
    const available = await db.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'");
    if (!available.rowCount) return "postgres-arrays";
    await db.query("CREATE EXTENSION IF NOT EXISTS vector");
    return "pgvector";
  } catch {
    // Present but not ours to create (no privilege): the arrays serve.
    return "postgres-arrays";
  }
}

/**
 * How PostgreSQL compares embeddings: pgvector's cosine distance through a
 * cast of the stored real[], or, without pgvector, the dot product of the two
 * unit vectors summed over unnest() in SQL.
 */
export function postgresDialect(backend: PostgresVectorBackend): Dialect {
  return {
    lockClause: "FOR UPDATE SKIP LOCKED",
    encode: (vector) => Array.from(vector),
    similarity: (column) =>
      backend === "pgvector"
        ? `(1 - (${column}::vector <=> ?::real[]::vector))`
        : `(SELECT COALESCE(SUM(a * b), 0) FROM unnest(${column}, ?::real[]) AS t(a, b))`,
  };
}
