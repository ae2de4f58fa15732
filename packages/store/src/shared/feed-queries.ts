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
