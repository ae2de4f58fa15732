import { AppError } from "@cairn/core/app-error";
import {
  type AdapterTx,
  type Store,
  type SystemStore,
  storeHandles,
  type UserStore,
} from "@cairn/core/store/store-port";
import pg from "pg";
import { type Migration, upTo } from "../migration";
import { postgresMigrations } from "./postgres-migrations";
import { isPostgresDataError, PostgresQueries } from "./postgres-queries";
import { detectPgvector, type PostgresVectorBackend } from "./postgres-vectors";

export interface PostgresStoreOptions {
  connectionString: string;
  /** A schema to live in (created when missing); tests give each run its own. */
  schema?: string;
  poolSize?: number;
  /** false: rank vectors with array arithmetic even where pgvector is available (tests of the fallback). */
  pgvector?: boolean;
  /** false: refuse (not_found) a database or schema that has no Cairn tables yet, instead of creating them. */
  createIfMissing?: boolean;
  /** Stop after this migration: the database as an older release left it (tests of a migration). */
  migrateUpTo?: string | undefined;
}

const schemaPattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** The Store port on PostgreSQL through a `pg` pool. */
export class PostgresStore implements Store {
  readonly kind = "postgres" as const;
  private readonly queries: PostgresQueries;
  private readonly handles: Pick<Store, "forUser" | "system">;

  private constructor(
    private readonly pool: pg.Pool,
    readonly vectorBackend: PostgresVectorBackend,
  ) {
    this.queries = new PostgresQueries(pool, vectorBackend);
    this.handles = storeHandles({
      methods: this.queries.methods,
      transaction: (work) => this.transaction(work),
      isDataError: isPostgresDataError,
    });
  }

  forUser(userId: string): UserStore {
    return this.handles.forUser(userId);
  }

  get system(): SystemStore {
    return this.handles.system;
  }

  isDataError(error: unknown): boolean {
    return isPostgresDataError(error);
  }

  /** Connects, creates the schema when asked, and runs pending migrations. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    if (options.schema !== undefined && !schemaPattern.test(options.schema)) {
      throw new Error(`Invalid PostgreSQL schema name "${options.schema}"`);
    }
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    // A dropped connection must not crash the process; the next query reconnects.
    pool.on("error", () => {});
    try {
      if (options.createIfMissing === false) {
        const found = await pool.query<{ table: string | null }>("SELECT to_regclass('schema_migrations') AS table");
        if (!found.rows[0]?.table) {
          throw new AppError(
            "not_found",
            `No Cairn server database at this PostgreSQL URL${options.schema ? ` (schema ${options.schema})` : ""}`,
            {
              hint: "Check --database-url (and its ?schema=); --create makes the tables in an empty database.",
            },
          );
        }
      }
      if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
      await runPostgresMigrations(pool, upTo(postgresMigrations, options.migrateUpTo));
      return new PostgresStore(pool, options.pgvector === false ? "postgres-arrays" : await detectPgvector(pool));
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  /** Runs `work` in one transaction on a client of the pool (the port's handles open theirs through it). */
  async transaction<T>(work: (tx: AdapterTx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const tx = new PostgresQueries(client, this.vectorBackend);
    tx.inTransaction = true;
    try {
      await client.query("BEGIN");
      const result = await work(tx.methods);
      await tx.flushEntries();
      for (const [userId, seq] of tx.seqs) {
        await client.query("UPDATE users SET change_seq = $1 WHERE id = $2", [seq, userId]);
      }
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Runs the steps not yet recorded, one transaction each, under an advisory lock so two servers never race. */
export async function runPostgresMigrations(pool: pg.Pool, migrations: Migration[]): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(4242001)");
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL)",
    );
    const applied = new Set(
      (await client.query<{ name: string }>("SELECT name FROM schema_migrations")).rows.map((row) => row.name),
    );
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (name, applied_at) VALUES ($1, now())", [migration.name]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(4242001)").catch(() => {});
    client.release();
  }
}
