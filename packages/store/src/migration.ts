/**
 * One schema step. Steps are an ordered list per database, identified by a
 * stable name, each run once in its own transaction and recorded in
 * `schema_migrations`, so running the list again is a no-op.
 */
export interface Migration {
  name: string;
  sql: string;
}
