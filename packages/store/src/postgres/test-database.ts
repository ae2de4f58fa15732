/**
 * Where PostgreSQL tests connect. They fail when the database is unreachable:
 * only CAIRN_TEST_PG=off, set on purpose, skips them.
 */
export function testDatabaseUrl(): string {
  return process.env.CAIRN_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
}

export function testPgDisabled(): boolean {
  return process.env.CAIRN_TEST_PG === "off";
}
