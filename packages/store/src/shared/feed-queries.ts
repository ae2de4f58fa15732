import type { DeviceStatus } from "@cairn/core/store/store-types";
import { isoTimeOrNull } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

/**
 * How far each background consumer of a user's change feed has read (the
 * embedder per model, the webhook and session-summary scan): the same seqs
 * sync pulls by, so a consumer sees every write, edit and delete once, in order.
 */
export async function feedCursor(sql: SqlExec, userId: string, consumer: string): Promise<number> {
  const [row] = await sql.all<{ seq: number | string }>(
    "SELECT seq FROM feed_cursors WHERE user_id = ? AND consumer = ?",
    [userId, consumer],
  );
  return row ? Number(row.seq) : 0;
}

export async function setFeedCursor(sql: SqlExec, userId: string, consumer: string, seq: number): Promise<void> {
  await sql.run(
    `INSERT INTO feed_cursors (user_id, consumer, seq) VALUES (?, ?, ?)
     ON CONFLICT (user_id, consumer) DO UPDATE SET seq = excluded.seq`,
    [userId, consumer, seq],
  );
}

/** Users with changes `consumer` has not read yet (their change counter is past its cursor). */
export async function usersBehindFeed(sql: SqlExec, consumer: string, limit: number): Promise<string[]> {
  const rows = await sql.all<{ id: string }>(
    `SELECT u.id FROM users u LEFT JOIN feed_cursors c ON c.user_id = u.id AND c.consumer = ?
     WHERE u.change_seq > COALESCE(c.seq, 0) ORDER BY u.id LIMIT ?`,
    [consumer, limit],
  );
  return rows.map((row) => row.id);
}

interface DeviceRow {
  device_id: string;
  name: string | null;
  last_applied_seq: number | string;
  last_seen_at: string | Date | null;
  rejected: number | string;
  last_reason: string | null;
  last_rejected_at: string | Date | null;
}

/** A user's devices as the server sees them: how far each has pushed, when, and what it had refused. */
export async function listDevices(sql: SqlExec, userId: string): Promise<DeviceStatus[]> {
  const rows = await sql.all<DeviceRow>(
    `SELECT d.device_id, d.name, d.last_applied_seq, d.last_seen_at,
       (SELECT COUNT(*) FROM rejected_mutations r WHERE r.user_id = d.user_id AND r.device_id = d.device_id) AS rejected,
       (SELECT r.reason FROM rejected_mutations r WHERE r.user_id = d.user_id AND r.device_id = d.device_id
         ORDER BY r.rejected_at DESC, r.seq DESC LIMIT 1) AS last_reason,
       (SELECT r.rejected_at FROM rejected_mutations r WHERE r.user_id = d.user_id AND r.device_id = d.device_id
         ORDER BY r.rejected_at DESC, r.seq DESC LIMIT 1) AS last_rejected_at
     FROM devices d WHERE d.user_id = ?
     ORDER BY (d.last_seen_at IS NULL), d.last_seen_at DESC, d.device_id`,
    [userId],
  );
  return rows.map((row) => ({
    deviceId: row.device_id,
    name: row.name,
    lastAppliedSeq: Number(row.last_applied_seq),
    lastSeenAt: isoTimeOrNull(row.last_seen_at),
    rejected: Number(row.rejected),
    lastRejection:
      row.last_reason === null ? null : { reason: row.last_reason, at: isoTimeOrNull(row.last_rejected_at) ?? "" },
  }));
}
