import { join } from "node:path";
import type { Store } from "@cairn/core/store/store-port";
import { privateDirectory } from "@cairn/store/private-files";

/** The server's database: PostgreSQL when a URL is given, else `cairn.db` in the data directory. */
export async function openServerStore(options: {
  dataDir: string;
  databaseUrl?: string | undefined;
  /** better-sqlite3's addon file; required when better-sqlite3 is bundled (the CLI). */
  sqliteBinding?: string | undefined;
  /** SQLite: the process's shared write lock and this connection's id in it (see thread-write-lock.ts). */
  threadWriteLock?: { buffer: SharedArrayBuffer; holder: number; first?: boolean } | undefined;
  /** false: a PostgreSQL database without Cairn's tables is refused, not set up (admin commands; SQLite's file is checked by them). */
  createIfMissing?: boolean | undefined;
}): Promise<Store> {
  if (options.databaseUrl) {
    // Loaded only here so SQLite-only installs never pay for pg at start-up.
    const { PostgresStore } = await import("@cairn/store/postgres/postgres-store");
    const url = new URL(options.databaseUrl);
    const schema = url.searchParams.get("schema") ?? undefined;
    url.searchParams.delete("schema");
    return PostgresStore.open({
      connectionString: url.toString(),
      ...(schema ? { schema } : {}),
      ...(options.createIfMissing === false ? { createIfMissing: false } : {}),
    });
  }
  privateDirectory(options.dataDir);
  const { SqliteStore } = await import("@cairn/store/sqlite/sqlite-store");
  return new SqliteStore({
    path: join(options.dataDir, "cairn.db"),
    nativeBinding: options.sqliteBinding,
    loadVectorExtension: await sqliteVecLoader(),
    threadWriteLock: options.threadWriteLock,
  });
}

/** sqlite-vec's loader from its npm package (a platform build of the extension), or undefined where it has none. */
async function sqliteVecLoader(): Promise<((db: import("better-sqlite3").Database) => void) | undefined> {
  try {
    const sqliteVec = await import("sqlite-vec");
    return (db) => sqliteVec.load(db);
  } catch {
    return undefined;
  }
}
