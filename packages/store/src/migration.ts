/**
 * One schema step. Steps are an ordered list per database, identified by a
 * stable name, each run once in its own transaction and recorded in
 * `schema_migrations`, so running the list again is a no-op.
 */
export interface Migration {
  name: string;
  sql: string;
}

/** The steps up to and including `last` (all of them when absent): a schema as an older release left it. */
export function upTo(migrations: Migration[], last: string | undefined): Migration[] {
  if (last === undefined) return migrations;
  const at = migrations.findIndex((migration) => migration.name === last);
  if (at < 0) throw new Error(`No migration named ${last}`);
  return migrations.slice(0, at + 1);
}
