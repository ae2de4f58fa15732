import { AppError } from "@cairn/core/app-error";
import Database from "better-sqlite3";
import type { Migration } from "../migration";
import { privateFile } from "../private-files";

const damagedCodes = new Set(["SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_CANTOPEN", "SQLITE_IOERR_SHORT_READ"]);

/** Turns SQLite's "file is not a database" family into a clear error naming the file. */
export function storeFileError(path: string, error: unknown): AppError | null {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== "string" || !damagedCodes.has(code)) return null;
  return new AppError("store_corrupt", `The store file ${path} is damaged or not a Cairn database (${code})`, {
    cause: error,
    details: { path, sqliteCode: code },
    hint: `Run \`cairn recover\`: it sets the file aside (renamed, not deleted) and restores from the server. Or move it aside yourself: mv "${path}" "${path}.damaged".`,
  });
}

/** SQLite refusing a value (a constraint, a string or blob over its limit, a type): the same write fails every time. */
export function isSqliteDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === "string" &&
    (code.startsWith("SQLITE_CONSTRAINT") || code === "SQLITE_TOOBIG" || code === "SQLITE_MISMATCH")
  );
}

/**
 * Opens a SQLite file with Cairn's pragmas and brings its schema up to date.
 * WAL with synchronous=NORMAL: a commit survives a process crash, and only an
 * OS crash may lose the last transactions (SQLite's documented trade-off).
 */
export function openSqlite(
  path: string,
  migrations: Migration[],
  options: { nativeBinding?: string | undefined } = {},
): Database.Database {
  let db: Database.Database | undefined;
  if (path !== ":memory:") privateFile(path);
  try {
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    runSqliteMigrations(db, migrations);
    return db;
  } catch (error) {
    db?.close();
    throw storeFileError(path, error) ?? error;
  }
}

/** Runs the steps not yet recorded, each in its own transaction. */
export function runSqliteMigrations(db: Database.Database, migrations: Migration[]): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)");
  const applied = new Set(
    (db.prepare("SELECT name FROM schema_migrations").all() as { name: string }[]).map((row) => row.name),
  );
  for (const migration of migrations) {
    if (applied.has(migration.name)) continue;
    // IMMEDIATE takes the write lock first, so two processes opening a new
    // file at once cannot both run the same step.
    db.exec("BEGIN IMMEDIATE");
    try {
      const done = db.prepare("SELECT 1 FROM schema_migrations WHERE name = ?").get(migration.name);
      if (!done) {
        db.exec(migration.sql);
        db.prepare("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)").run(
          migration.name,
          new Date().toISOString(),
        );
      }
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
}
