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
  {
    // One drainer per scope: a single-row lease (see drain-lock.ts). In-flight
    // rows name the drainer that sent them, so a crash leaves a known
    // "unknown outcome" that the next drainer resends under the same seq.
    // Adoption records each source row it copied, so a rerun copies nothing twice.
    name: "client/002-drain-lock-in-flight-adoption",
    sql: `
CREATE TABLE drain_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  holder TEXT NOT NULL,
  pid INTEGER NOT NULL,
  role TEXT NOT NULL,
  acquired_at TEXT NOT NULL,
  lease_until TEXT NOT NULL
);
ALTER TABLE outbox ADD COLUMN in_flight_by TEXT;
ALTER TABLE outbox ADD COLUMN sent_at TEXT;
-- The rows still to send, in seq order: the next batch and the queue cap read only these
-- (IN ('pending', 'in_flight') over outbox_state would sort the whole queue for every batch).
CREATE INDEX outbox_queued ON outbox(seq) WHERE state != 'dead';
CREATE TABLE adopted (
  source_device TEXT NOT NULL,
  source_seq INTEGER NOT NULL,
  adopted_at TEXT NOT NULL,
  PRIMARY KEY (source_device, source_seq)
);
`,
  },
  {
    // The current session of each project, on disk (SPEC section 6): writes are tagged with it.
    name: "client/003-current-sessions",
    sql: "CREATE TABLE current_sessions (project_id TEXT PRIMARY KEY, session_id TEXT NOT NULL);",
  },
  {
    // How often in a row the server failed (5xx) applying a row: a row that keeps failing is
    // parked after a few tries instead of holding the queue forever. And the queue's size, kept by
    // triggers: a write checks the cap and `sync status` reads the depth without counting 100,000 rows.
    name: "client/004-server-failures-outbox-stats",
    sql: `
ALTER TABLE outbox ADD COLUMN server_failures INTEGER NOT NULL DEFAULT 0;
CREATE TABLE outbox_stats (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  queued INTEGER NOT NULL,
  dead INTEGER NOT NULL
);
INSERT INTO outbox_stats (id, queued, dead)
  SELECT 1, COALESCE(SUM(state != 'dead'), 0), COALESCE(SUM(state = 'dead'), 0) FROM outbox;
CREATE TRIGGER outbox_stats_insert AFTER INSERT ON outbox BEGIN
  UPDATE outbox_stats SET queued = queued + (NEW.state != 'dead'), dead = dead + (NEW.state = 'dead') WHERE id = 1;
END;
CREATE TRIGGER outbox_stats_delete AFTER DELETE ON outbox BEGIN
  UPDATE outbox_stats SET queued = queued - (OLD.state != 'dead'), dead = dead - (OLD.state = 'dead') WHERE id = 1;
END;
CREATE TRIGGER outbox_stats_state AFTER UPDATE OF state ON outbox
  WHEN (OLD.state = 'dead') != (NEW.state = 'dead') BEGIN
  UPDATE outbox_stats SET queued = queued + (NEW.state != 'dead') - (OLD.state != 'dead'),
    dead = dead + (NEW.state = 'dead') - (OLD.state = 'dead') WHERE id = 1;
END;
`,
  },
];
