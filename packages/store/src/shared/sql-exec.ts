/**
 * The little both adapters share for plain SQL: `?` placeholders, rows out.
 * Queries written once against it (the feature modules in this folder) run
 * on SQLite and on PostgreSQL alike; only full-text search differs per adapter.
 * Write SQL both dialects accept: ON CONFLICT … DO UPDATE / DO NOTHING,
 * LIMIT/OFFSET, ISO time strings as parameters.
 */
export interface SqlExec {
  all<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a statement; the number of rows it changed. */
  run(sql: string, params?: unknown[]): Promise<number>;
}

/** `?` → `$1, $2, …` for PostgreSQL (our SQL has no `?` inside literals). */
export function numberedPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/\?/g, () => `$${++index}`);
}

/** `?` → `$first, $first+1, …`: a fragment appended after `first - 1` numbered parameters. */
export function numberedFrom(sql: string, first: number): string {
  let index = first - 1;
  return sql.replace(/\?/g, () => `$${++index}`);
}
