import type Database from "better-sqlite3";

/** Keys of the small key-value table that holds the client's sync bookkeeping. */
export type SyncStateKey =
  | "deviceId"
  | "cursor"
  | "lastSuccessAt"
  | "lastError"
  | "lastErrorAt"
  | "failures"
  | "nextAttemptAt"
  /** The identity this store was created for: its rows are only ever sent as this user to this server. */
  | "server"
  | "userId"
  /** Set by `cairn sync pause`: no drainer sends anything until `resume`. */
  | "paused"
  /** When the server last refused the token (401); a newer login clears the stop. */
  | "unauthorizedAt"
  /** The highest clock version this store issued or saw (memories' hybrid logical clock). */
  | "clock"
  /** Open destruction alerts, as the server reported them on the last push (JSON). */
  | "openAlerts"
  /** When this store last purged its 30-day trash. */
  | "lastTrashPurgeAt"
  /** The highest outbox seq this device ever sent (see PushRequest.sentThrough). */
  | "sentThrough"
  /** The device id this store had before it found another copy of itself pushing under it. */
  | "forkedFrom"
  /** When it found that and became a new device. */
  | "forkedAt";

/** Durable sync bookkeeping of one scope's store (device id, pull cursor, failures). */
export class SyncState {
  constructor(private readonly db: Database.Database) {}

  get(key: SyncStateKey): string | null {
    const row = this.db.prepare("SELECT value FROM sync_state WHERE key = ?").get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  set(key: SyncStateKey, value: string | null): void {
    if (value === null) {
      this.db.prepare("DELETE FROM sync_state WHERE key = ?").run(key);
      return;
    }
    this.db
      .prepare(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      )
      .run(key, value);
  }

  number(key: SyncStateKey): number {
    return Number(this.get(key) ?? 0);
  }
}
