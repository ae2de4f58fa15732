import type { Migration } from "../migration";

/** The server schema on PostgreSQL; the same shape as the SQLite steps. */
export const postgresMigrations: Migration[] = [
  {
    name: "server/001-users-threads-entries",
    sql: `
CREATE TABLE users (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  email text,
  password_hash text,
  created_at timestamptz NOT NULL,
  change_seq bigint NOT NULL DEFAULT 0
);
CREATE TABLE api_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users(id),
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  scopes text NOT NULL DEFAULT '*',
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
CREATE TABLE devices (
  user_id text NOT NULL,
  device_id text NOT NULL,
  name text,
  last_applied_seq bigint NOT NULL DEFAULT 0,
  last_seen_at timestamptz,
  PRIMARY KEY (user_id, device_id)
);
CREATE TABLE projects (
  user_id text NOT NULL,
  id text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, id)
);
CREATE TABLE threads (
  user_id text NOT NULL,
  project_id text NOT NULL,
  id text NOT NULL,
  name text NOT NULL,
  status text NOT NULL DEFAULT 'active',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  deleted_at timestamptz,
  seq bigint NOT NULL,
  PRIMARY KEY (user_id, project_id, id)
);
CREATE INDEX threads_seq ON threads(user_id, seq);
CREATE TABLE entries (
  pk bigserial PRIMARY KEY,
  id text NOT NULL,
  user_id text NOT NULL,
  project_id text NOT NULL,
  thread_id text NOT NULL,
  session_id text,
  author text NOT NULL DEFAULT '',
  content text NOT NULL,
  created_at timestamptz NOT NULL,
  deleted_at timestamptz,
  seq bigint NOT NULL,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED,
  UNIQUE (user_id, id)
);
CREATE INDEX entries_thread ON entries(user_id, project_id, thread_id, created_at, id);
CREATE INDEX entries_seq ON entries(user_id, seq);
CREATE INDEX entries_tsv ON entries USING GIN (tsv);
`,
  },
  {
    // A replayed seq that was rejected must be answered "rejected" again, not
    // "duplicate": the client that lost the first answer would drop the row.
    name: "server/002-rejected-mutations",
    sql: `
CREATE TABLE rejected_mutations (
  user_id text NOT NULL,
  device_id text NOT NULL,
  seq bigint NOT NULL,
  reason text NOT NULL,
  rejected_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, device_id, seq)
);
`,
  },
  {
    // The device whose mutation wrote this version of the row: a pull leaves
    // out what the asking device wrote itself (it has it already).
    name: "server/003-entries-changed-by",
    sql: "ALTER TABLE entries ADD COLUMN changed_by text;",
  },
  {
    name: "server/004-memories-sessions-audit-alerts",
    sql: `
CREATE TABLE memories (
  user_id text NOT NULL,
  id text NOT NULL,
  project_id text NOT NULL,
  session_id text,
  kind text NOT NULL,
  content text NOT NULL,
  tags text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  version text NOT NULL,
  deleted_at timestamptz,
  seq bigint NOT NULL,
  changed_by text,
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', content || ' ' || tags)) STORED,
  PRIMARY KEY (user_id, id)
);
CREATE INDEX memories_seq ON memories(user_id, seq);
CREATE INDEX memories_project ON memories(user_id, project_id, updated_at);
CREATE INDEX memories_tsv ON memories USING GIN (tsv);
CREATE TABLE sessions (
  user_id text NOT NULL,
  id text NOT NULL,
  project_id text NOT NULL,
  agent text NOT NULL DEFAULT '',
  started_at timestamptz NOT NULL,
  last_activity_at timestamptz NOT NULL,
  ended_at timestamptz,
  summary text,
  seq bigint NOT NULL,
  PRIMARY KEY (user_id, id)
);
CREATE INDEX sessions_seq ON sessions(user_id, seq);
CREATE INDEX sessions_project ON sessions(user_id, project_id, started_at);
CREATE INDEX sessions_open ON sessions(last_activity_at) WHERE ended_at IS NULL;
CREATE INDEX entries_session ON entries(user_id, session_id);
CREATE TABLE audit_log (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  at timestamptz NOT NULL,
  device_id text,
  action text NOT NULL,
  target_type text,
  target_id text,
  details text NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_user_at ON audit_log(user_id, at);
CREATE INDEX audit_user_action_at ON audit_log(user_id, action, at);
CREATE TABLE alerts (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  kind text NOT NULL,
  severity text NOT NULL,
  window_start timestamptz NOT NULL,
  window_end timestamptz NOT NULL,
  delete_count integer NOT NULL,
  blocked_count integer NOT NULL DEFAULT 0,
  deleted_ids text NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by text
);
CREATE INDEX alerts_user ON alerts(user_id, created_at);
`,
  },
  {
    // Tasks (synced like memories) and the chat agent's conversations (server only).
    name: "server/005-tasks-conversations",
    sql: `
CREATE TABLE tasks (
  user_id text NOT NULL,
  id text NOT NULL,
  project_id text,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  status text NOT NULL,
  priority text NOT NULL DEFAULT 'normal',
  due_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz,
  version text NOT NULL,
  deleted_at timestamptz,
  seq bigint NOT NULL,
  changed_by text,
  PRIMARY KEY (user_id, id)
);
CREATE INDEX tasks_seq ON tasks(user_id, seq);
CREATE INDEX tasks_open ON tasks(user_id, status, due_at);
CREATE TABLE conversations (
  user_id text NOT NULL,
  id text NOT NULL,
  title text NOT NULL,
  origin_client_message_id text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, id)
);
CREATE INDEX conversations_id ON conversations(id);
CREATE INDEX conversations_recent ON conversations(user_id, updated_at);
CREATE UNIQUE INDEX conversations_origin ON conversations(user_id, origin_client_message_id)
  WHERE origin_client_message_id IS NOT NULL;
CREATE TABLE messages (
  user_id text NOT NULL,
  id text NOT NULL,
  conversation_id text NOT NULL,
  seq bigint NOT NULL,
  role text NOT NULL,
  content text NOT NULL,
  tool_calls text,
  tool_call_id text,
  client_message_id text,
  status text NOT NULL,
  error text,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, id),
  UNIQUE (user_id, conversation_id, seq)
);
CREATE UNIQUE INDEX messages_client_id ON messages(user_id, conversation_id, client_message_id)
  WHERE client_message_id IS NOT NULL;
CREATE TABLE tool_invocations (
  user_id text NOT NULL,
  tool_call_id text NOT NULL,
  tool_name text NOT NULL,
  result text NOT NULL,
  success bigint NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, tool_call_id)
);
CREATE TABLE chat_confirmations (
  user_id text NOT NULL,
  id text NOT NULL,
  conversation_id text NOT NULL,
  asked_at_seq bigint NOT NULL,
  action text NOT NULL,
  created_at timestamptz NOT NULL,
  used_at timestamptz,
  PRIMARY KEY (user_id, id)
);
`,
  },
  {
    name: "server/006-tasks-fts",
    sql: `
ALTER TABLE tasks ADD COLUMN tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('simple', title || ' ' || description)) STORED;
CREATE INDEX tasks_tsv ON tasks USING GIN (tsv);
`,
  },
  {
    // Search walks one user's newest entries backwards for a common word (see postgres-search.ts).
    name: "server/007-entries-user-pk",
    sql: "CREATE INDEX entries_user_pk ON entries(user_id, pk);",
  },
  {
    // The durable job table (SPEC section 7), the embeddings of hybrid search (issue 6), and how far each
    // background consumer of a user's change feed has read (embeddings, webhooks, session summaries). Vectors are
    // real[]: pgvector, when the server has it, ranks them through a cast (see postgres-vectors.ts).
    name: "server/008-jobs-embeddings",
    sql: `
CREATE TABLE jobs (
  id text PRIMARY KEY,
  kind text NOT NULL,
  user_id text,
  dedupe_key text,
  partition_key text,
  payload text NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL,
  max_attempts integer NOT NULL,
  run_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_leases ON jobs (status, lease_until);
CREATE UNIQUE INDEX jobs_dedupe ON jobs (dedupe_key)
  WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running');
CREATE TABLE embeddings (
  user_id text NOT NULL,
  type text NOT NULL,
  id text NOT NULL,
  model text NOT NULL,
  vector real[] NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, type, id)
);
CREATE TABLE feed_cursors (
  user_id text NOT NULL,
  consumer text NOT NULL,
  seq bigint NOT NULL,
  PRIMARY KEY (user_id, consumer)
);
`,
  },
  {
    // Outbound webhooks (endpoints and their delivery log) and inbound sources with their replay guard (issue 7).
    name: "server/009-webhooks",
    sql: `
CREATE TABLE webhook_endpoints (
  user_id text NOT NULL,
  id text NOT NULL,
  url text NOT NULL,
  events text NOT NULL,
  secret text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, id)
);
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  endpoint_id text NOT NULL,
  event_id text NOT NULL,
  event_type text NOT NULL,
  body text NOT NULL,
  status text NOT NULL,
  attempts integer NOT NULL,
  last_status integer,
  last_error text,
  last_duration_ms integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  delivered_at timestamptz,
  UNIQUE (endpoint_id, event_id)
);
CREATE INDEX webhook_deliveries_user ON webhook_deliveries (user_id, created_at);
CREATE TABLE webhook_sources (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  name text NOT NULL,
  secret text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE webhook_replays (
  source_id text NOT NULL,
  signature text NOT NULL,
  seen_at timestamptz NOT NULL,
  PRIMARY KEY (source_id, signature)
);
`,
  },
  {
    // Claims walk the due jobs of their own kinds only: with (status, run_at) alone, a runner that does not
    // send webhooks walked every due delivery of a fan-out on each poll (issue 7's write-latency figure).
    name: "server/010-jobs-due-by-kind",
    sql: `
DROP INDEX jobs_due;
CREATE INDEX jobs_due_by_kind ON jobs (status, kind, run_at);
`,
  },
  {
    // Deletes the guard blocked that went through after the acknowledgement: counted once, when
    // they were blocked, and not again (see server-hooks.ts).
    name: "server/011-alerts-released",
    sql: "ALTER TABLE alerts ADD COLUMN released_count integer NOT NULL DEFAULT 0;",
  },
  {
    // Language-aware full text (issue 14): the English Snowball stemmer, in a configuration of our own
    // that keeps stop words (pg's 'english' drops them, and a query made only of them would find
    // nothing; ranking leaves them out instead, in core/search). The tsvector columns are made again
    // with it, and their indexes.
    name: "server/012-stemmed-search",
    sql: `
CREATE TEXT SEARCH DICTIONARY cairn_english_stem (TEMPLATE = snowball, LANGUAGE = english);
CREATE TEXT SEARCH CONFIGURATION cairn_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION cairn_english
  ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part WITH cairn_english_stem;
DROP INDEX entries_tsv;
ALTER TABLE entries DROP COLUMN tsv;
ALTER TABLE entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS (to_tsvector('cairn_english', content)) STORED;
CREATE INDEX entries_tsv ON entries USING GIN (tsv);
DROP INDEX memories_tsv;
ALTER TABLE memories DROP COLUMN tsv;
ALTER TABLE memories ADD COLUMN tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('cairn_english', content || ' ' || tags)) STORED;
CREATE INDEX memories_tsv ON memories USING GIN (tsv);
DROP INDEX tasks_tsv;
ALTER TABLE tasks DROP COLUMN tsv;
ALTER TABLE tasks ADD COLUMN tsv tsvector
  GENERATED ALWAYS AS (to_tsvector('cairn_english', title || ' ' || description)) STORED;
CREATE INDEX tasks_tsv ON tasks USING GIN (tsv);
-- Search walks a user's newest memories and tasks for a common word, as it does entries.
CREATE INDEX memories_user_updated ON memories (user_id, updated_at);
CREATE INDEX tasks_user_updated ON tasks (user_id, updated_at);
`,
  },
  {
    // A memory's history (issue 15): its replaced versions and conflicts are audit events of the
    // row, read by target.
    name: "server/013-audit-by-target",
    sql: "CREATE INDEX audit_user_target ON audit_log(user_id, target_id, at);",
  },
];
