import type Database from "better-sqlite3";

export interface OutboxRow {
  seq: number;
  op: string;
  args: string;
  entityId: string;
  clientTime: string;
  bytes: number;
  state: "pending" | "in_flight" | "dead";
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  /** The drainer that sent it, while it is in flight. */
  inFlightBy: string | null;
  sentAt: string | null;
  /** How many pushes in a row the server failed (5xx) while applying this row. */
  serverFailures: number;
}

interface OutboxRecord {
  seq: number;
  op: string;
  args: string;
  entity_id: string;
  client_time: string;
  bytes: number;
  state: OutboxRow["state"];
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  in_flight_by: string | null;
  sent_at: string | null;
  server_failures: number;
}

const outboxColumns =
  "seq, op, args, entity_id, client_time, bytes, state, attempts, next_attempt_at, last_error, in_flight_by, sent_at, server_failures";

function toRow(record: OutboxRecord): OutboxRow {
  return {
    seq: record.seq,
    op: record.op,
    args: record.args,
    entityId: record.entity_id,
    clientTime: record.client_time,
    bytes: record.bytes,
    state: record.state,
    attempts: record.attempts,
    nextAttemptAt: record.next_attempt_at,
    lastError: record.last_error,
    inFlightBy: record.in_flight_by,
    sentAt: record.sent_at,
    serverFailures: record.server_failures,
  };
}

/**
 * The durable queue of local mutations (SPEC section 3). Rows are written in
 * the same transaction as the data they describe; backoff state lives here,
 * not in memory, so it survives the process.
 */
export class Outbox {
  constructor(private readonly db: Database.Database) {}

  /** Queues one mutation; call inside the transaction that wrote its data. */
  enqueue(mutation: { op: string; args: unknown; entityId: string; clientTime: string }): number {
    const args = JSON.stringify(mutation.args);
    const result = this.db
      .prepare("INSERT INTO outbox (op, args, entity_id, client_time, bytes) VALUES (?, ?, ?, ?, ?)")
      .run(mutation.op, args, mutation.entityId, mutation.clientTime, Buffer.byteLength(args));
    return Number(result.lastInsertRowid);
  }

  /**
   * The oldest rows to send, in seq order, within the count and byte limits
   * of one push. Only the lock holder calls this, so an `in_flight` row here
   * was left by a drainer that died mid-push: its outcome is unknown and it
   * is resent as it stands, same seq, same ids (the server answers
   * `duplicate` when the first send did land).
   */
  nextBatch(limits: { maxRows: number; maxBytes: number }, afterSeq = 0): OutboxRow[] {
    const records = this.db
      .prepare(`SELECT ${outboxColumns} FROM outbox WHERE state != 'dead' AND seq > ? ORDER BY seq LIMIT ?`)
      .all(afterSeq, limits.maxRows) as OutboxRecord[];
    const batch: OutboxRow[] = [];
    let bytes = 0;
    for (const record of records) {
      if (batch.length > 0 && bytes + record.bytes > limits.maxBytes) break;
      batch.push(toRow(record));
      bytes += record.bytes;
    }
    return batch;
  }

  /**
   * Records a send before the request leaves (a crash after this is a known
   * "unknown outcome"). A batch is the first rows not dead, in seq order, so
   * the rows not dead between its first and last seq are exactly the batch.
   */
  markInFlight(batch: { first: number; last: number }, drainer: string, at: string): void {
    this.db
      .prepare(
        "UPDATE outbox SET state = 'in_flight', in_flight_by = ?, sent_at = ? WHERE seq BETWEEN ? AND ? AND state != 'dead'",
      )
      .run(drainer, at, batch.first, batch.last);
  }

  /** The settled rows of a batch (still in flight once the others were marked dead or pending) leave the queue. */
  removeInFlight(batch: { first: number; last: number }): number {
    return this.db
      .prepare("DELETE FROM outbox WHERE seq BETWEEN ? AND ? AND state = 'in_flight'")
      .run(batch.first, batch.last).changes;
  }

  /** Rows of a batch the server did not settle go back to pending (e.g. out_of_order). */
  returnToPending(seqs: number[]): void {
    const statement = this.db.prepare(
      "UPDATE outbox SET state = 'pending', in_flight_by = NULL WHERE seq = ? AND state = 'in_flight'",
    );
    this.db.transaction(() => {
      for (const seq of seqs) statement.run(seq);
    })();
  }

  /** Rows waiting to reach the server (pending or in flight); the queue cap counts these. Kept by triggers: O(1). */
  queuedCount(): number {
    return (this.db.prepare("SELECT queued FROM outbox_stats WHERE id = 1").get() as { queued: number }).queued;
  }

  /**
   * The server failed (5xx) while applying this row: counts it, and returns how many
   * pushes in a row have failed on it (the drain parks it dead past a bound).
   */
  recordServerFailure(seq: number): number {
    const row = this.db
      .prepare("UPDATE outbox SET server_failures = server_failures + 1 WHERE seq = ? RETURNING server_failures")
      .get(seq) as { server_failures: number } | undefined;
    return row?.server_failures ?? 0;
  }

  /**
   * Gives every row a new seq, 1, 2, 3… in the same order, for a new device id (see
   * LocalStore.becomeNewDevice): the server keeps seqs per device, and a new device's
   * first seq is 1. Rows in flight go back to pending: under the new id they were never sent.
   */
  renumber(): number {
    const records = this.db.prepare(`SELECT ${outboxColumns} FROM outbox ORDER BY seq`).all() as OutboxRecord[];
    const insert = this.db.prepare(
      `INSERT INTO outbox (seq, op, args, entity_id, client_time, bytes, state, attempts, next_attempt_at, last_error)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM outbox").run();
      this.db.prepare("DELETE FROM sqlite_sequence WHERE name = 'outbox'").run();
      records.forEach((record, index) => {
        insert.run(
          index + 1,
          record.op,
          record.args,
          record.entity_id,
          record.client_time,
          record.bytes,
          record.state === "dead" ? "dead" : "pending",
          record.attempts,
          record.next_attempt_at,
          record.last_error,
        );
      });
    })();
    return records.length;
  }

  /** A rejected row is parked, visible and retryable, never silently dropped. */
  markDead(seq: number, reason: string): void {
    this.db
      .prepare(
        "UPDATE outbox SET state = 'dead', in_flight_by = NULL, attempts = attempts + 1, last_error = ? WHERE seq = ?",
      )
      .run(reason, seq);
  }

  /**
   * Records a failed push on the rows it carried and puts them back to
   * pending: the transport failed, so attempts (which count rejections only) stay.
   */
  recordFailure(seqs: number[], failure: { error: string; nextAttemptAt: string }): void {
    const statement = this.db.prepare(
      `UPDATE outbox SET last_error = ?, next_attempt_at = ?, in_flight_by = NULL,
         state = CASE state WHEN 'in_flight' THEN 'pending' ELSE state END WHERE seq = ?`,
    );
    this.db.transaction(() => {
      for (const seq of seqs) statement.run(failure.error, failure.nextAttemptAt, seq);
    })();
  }

  /**
   * Re-arms dead rows under new seqs: the server already advanced past their
   * old seqs, so sending them again under those would be taken as duplicates.
   * `reasonPrefix` re-arms only the rows whose last error starts with it.
   */
  retryDead(reasonPrefix?: string): number {
    const dead = (
      this.db.prepare(`SELECT ${outboxColumns} FROM outbox WHERE state = 'dead' ORDER BY seq`).all() as OutboxRecord[]
    ).filter((record) => reasonPrefix === undefined || (record.last_error ?? "").startsWith(reasonPrefix));
    const remove = this.db.prepare("DELETE FROM outbox WHERE seq = ?");
    const requeue = this.db.prepare(
      "INSERT INTO outbox (op, args, entity_id, client_time, bytes, attempts, last_error) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
    this.db.transaction(() => {
      for (const record of dead) {
        remove.run(record.seq);
        requeue.run(
          record.op,
          record.args,
          record.entity_id,
          record.client_time,
          record.bytes,
          record.attempts,
          record.last_error,
        );
      }
    })();
    return dead.length;
  }

  /** One row by seq (null when it has left the queue). */
  get(seq: number): OutboxRow | null {
    const record = this.db.prepare(`SELECT ${outboxColumns} FROM outbox WHERE seq = ?`).get(seq) as
      | OutboxRecord
      | undefined;
    return record ? toRow(record) : null;
  }

  /** Every queued row, oldest first (for `cairn sync queue`). */
  list(limit: number): OutboxRow[] {
    return (
      this.db.prepare(`SELECT ${outboxColumns} FROM outbox ORDER BY seq LIMIT ?`).all(limit) as OutboxRecord[]
    ).map(toRow);
  }

  /** `pending` counts every row not yet on the server, `inFlight` included. */
  counts(): { pending: number; inFlight: number; dead: number; oldestPendingAt: string | null } {
    // Each part reads an index or the triggers' tally: no scan of the queue, however long it is.
    const stats = this.db.prepare("SELECT queued, dead FROM outbox_stats WHERE id = 1").get() as {
      queued: number;
      dead: number;
    };
    const inFlight = (
      this.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'in_flight'").get() as { n: number }
    ).n;
    const oldest = this.db.prepare("SELECT client_time FROM outbox WHERE state != 'dead' ORDER BY seq LIMIT 1").get() as
      | { client_time: string }
      | undefined;
    return {
      pending: stats.queued,
      inFlight,
      dead: stats.dead,
      oldestPendingAt: oldest?.client_time ?? null,
    };
  }

  /** Every entity id with a queued (or parked) mutation. */
  entityIds(): Set<string> {
    const rows = this.db.prepare("SELECT DISTINCT entity_id FROM outbox").all() as { entity_id: string }[];
    return new Set(rows.map((row) => row.entity_id));
  }

  /** Which of these entity ids still have a queued (unsynced) mutation. */
  unsynced(entityIds: string[]): Set<string> {
    if (entityIds.length === 0) return new Set();
    const placeholders = entityIds.map(() => "?").join(",");
    const rows = this.db
      .prepare(`SELECT DISTINCT entity_id FROM outbox WHERE entity_id IN (${placeholders})`)
      .all(...entityIds) as { entity_id: string }[];
    return new Set(rows.map((row) => row.entity_id));
  }
}
