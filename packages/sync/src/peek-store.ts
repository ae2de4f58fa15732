import Database from "better-sqlite3";
import { inspectDrainLock, type LockHolder } from "./drain-lock";

export interface StorePeek {
  pending: number;
  dead: number;
  identity: { server: string | null; userId: string | null };
  lock: (LockHolder & { stale: boolean }) | null;
}

/**
 * Reads another scope's store without migrating or writing it (preflight and
 * doctor look at every scope, and must stay read-only and fast). Null when
 * the file cannot be read as a Cairn store.
 */
export function peekStore(
  path: string,
  options: { nativeBinding?: string | undefined; now: Date; isAlive: (pid: number) => boolean },
): StorePeek | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, {
      readonly: true,
      fileMustExist: true,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    const counts = db
      .prepare("SELECT SUM(state != 'dead') AS pending, SUM(state = 'dead') AS dead FROM outbox")
      .get() as { pending: number | null; dead: number | null };
    const state = new Map(
      (
        db.prepare("SELECT key, value FROM sync_state WHERE key IN ('server', 'userId')").all() as {
          key: string;
          value: string;
        }[]
      ).map((row) => [row.key, row.value]),
    );
    const hasLockTable = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'drain_lock'").get() !== undefined;
    return {
      pending: counts.pending ?? 0,
      dead: counts.dead ?? 0,
      identity: { server: state.get("server") || null, userId: state.get("userId") ?? null },
      lock: hasLockTable ? inspectDrainLock(db, options.now, options.isAlive) : null,
    };
  } catch {
    return null;
  } finally {
    db?.close();
  }
}
