import type { Migration } from "@cairn/store/migration";

/**
 * The CLI's own tables, after the server schema in the same file.
 * `outbox.seq` is AUTOINCREMENT: a seq is never reused, even after the rows
 * below it were pushed and deleted (a reused seq would be taken as a duplicate).
 */
export const clientMigrations: Migration[] = [
  {
    name: "client/001-outbox",
    sql: `
CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  op TEXT NOT NULL,
  args TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  client_time TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_flight', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error TEXT
);
CREATE INDEX outbox_entity ON outbox(entity_id);
CREATE INDEX outbox_state ON outbox(state, seq);
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`,
  },
];
