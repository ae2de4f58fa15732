import type { VectorBackend } from "@cairn/core/store/store-types";
import type Database from "better-sqlite3";
import type { Dialect } from "../shared/feature-queries";

/**
 * How SQLite compares embeddings. Vectors are float32 BLOBs (4 bytes a
 * dimension). With sqlite-vec loaded (the server loads it from its npm
 * package) its C `vec_distance_cosine` ranks them; without it, a function
 * registered on the connection computes the same dot product in JavaScript.
 */
export function sqliteDialect(
  db: Database.Database,
  loadExtension: ((db: Database.Database) => void) | undefined,
): { backend: VectorBackend; dialect: Dialect } {
  db.function("cairn_similarity", { deterministic: true }, (left: unknown, right: unknown) =>
    dot(asFloats(left), asFloats(right)),
  );
  let backend: VectorBackend = "sqlite-function";
  if (loadExtension) {
    try {
      loadExtension(db);
      backend = "sqlite-vec";
    } catch {
      // The platform has no sqlite-vec build: the registered function serves.
    }
  }
  return {
    backend,
    dialect: {
      lockClause: "",
      encode: (vector) => Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
      similarity: (column) =>
        backend === "sqlite-vec" ? `(1 - vec_distance_cosine(${column}, ?))` : `cairn_similarity(${column}, ?)`,
    },
  };
}

function asFloats(value: unknown): Float32Array {
  if (!(value instanceof Uint8Array)) return new Float32Array(0);
  // A copy when the BLOB is not 4-byte aligned in its buffer (Float32Array needs alignment).
  const bytes = value.byteOffset % 4 === 0 ? value : new Uint8Array(value);
  return new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
}

function dot(left: Float32Array, right: Float32Array): number {
  if (left.length !== right.length) return 0;
  let sum = 0;
  for (let index = 0; index < left.length; index++) sum += (left[index] as number) * (right[index] as number);
  return sum;
}
