import type Database from "better-sqlite3";

/** Who holds (or held) a scope's drain lock. */
export interface LockHolder {
  holder: string;
  pid: number;
  /** daemon | sync-now | inline (what kind of drainer; shown by status and doctor). */
  role: string;
  acquiredAt: string;
  leaseUntil: string;
}

export interface DrainLockOptions {
  /** A random id of this drainer (two drainers in one process differ too). */
  holder: string;
  pid: number;
  role: string;
  now: () => Date;
  /** How long the lock stays ours without a renewal (a frozen holder loses it). */
  leaseMs?: number;
  /** Whether a process is alive; a lock whose holder died is free at once. */
  isAlive: (pid: number) => boolean;
}

interface LockRecord {
  holder: string;
  pid: number;
  role: string;
  acquired_at: string;
  lease_until: string;
}

const defaultLeaseMs = 30_000;

/**
 * One drainer per scope (SPEC section 3): the daemon, `cairn sync now` and
 * the inline push of every CLI process all take this lock before they send a
 * row. It is a single-row lease in the scope's own SQLite file, taken in a
 * BEGIN IMMEDIATE transaction, so two processes cannot both win. A holder
 * that died (its pid is gone) or stopped renewing (the lease ran out) loses
 * it to the next drainer; nothing is killed.
 */
export class DrainLock {
  private readonly leaseMs: number;

  constructor(
    private readonly db: Database.Database,
    private readonly options: DrainLockOptions,
  ) {
    this.leaseMs = options.leaseMs ?? defaultLeaseMs;
  }

  /** Takes the lock when it is free, stale or already ours. */
  tryAcquire(): boolean {
    const { holder, pid, role, now } = this.options;
    const take = this.db.transaction(() => {
      const current = this.read();
      if (current && current.holder !== holder && !isStale(current, now(), this.options.isAlive)) return false;
      const at = now();
      this.db
        .prepare(
          `INSERT INTO drain_lock (id, holder, pid, role, acquired_at, lease_until) VALUES (1, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, pid = excluded.pid, role = excluded.role,
             acquired_at = excluded.acquired_at, lease_until = excluded.lease_until`,
        )
        .run(holder, pid, role, at.toISOString(), new Date(at.getTime() + this.leaseMs).toISOString());
      return true;
    });
    return take.immediate();
  }

  /** Waits (polling) until the lock is ours or `deadline` (epoch ms) passes. */
  async acquire(deadline: number, pollMs = 50): Promise<boolean> {
    for (;;) {
      if (this.tryAcquire()) return true;
      if (Date.now() + pollMs > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Extends the lease; false when the lock is no longer ours (it was taken over). */
  renew(): boolean {
    const until = new Date(this.options.now().getTime() + this.leaseMs).toISOString();
    return (
      this.db
        .prepare("UPDATE drain_lock SET lease_until = ? WHERE id = 1 AND holder = ?")
        .run(until, this.options.holder).changes === 1
    );
  }

  /** Whether this drainer holds the lock right now. */
  held(): boolean {
    return this.read()?.holder === this.options.holder;
  }

  release(): void {
    this.db.prepare("DELETE FROM drain_lock WHERE id = 1 AND holder = ?").run(this.options.holder);
  }

  private read(): LockRecord | undefined {
    return this.db.prepare("SELECT holder, pid, role, acquired_at, lease_until FROM drain_lock WHERE id = 1").get() as
      | LockRecord
      | undefined;
  }
}

/** The current holder of a store's lock, and whether it is stale (for status and doctor). */
export function inspectDrainLock(
  db: Database.Database,
  now: Date,
  isAlive: (pid: number) => boolean,
): (LockHolder & { stale: boolean }) | null {
  const record = db.prepare("SELECT holder, pid, role, acquired_at, lease_until FROM drain_lock WHERE id = 1").get() as
    | LockRecord
    | undefined;
  if (!record) return null;
  return {
    holder: record.holder,
    pid: record.pid,
    role: record.role,
    acquiredAt: record.acquired_at,
    leaseUntil: record.lease_until,
    stale: isStale(record, now, isAlive),
  };
}

/** Removes a stale lock (doctor --fix); a live holder's lock is left alone. */
export function clearStaleDrainLock(db: Database.Database, now: Date, isAlive: (pid: number) => boolean): boolean {
  const current = inspectDrainLock(db, now, isAlive);
  if (!current?.stale) return false;
  return db.prepare("DELETE FROM drain_lock WHERE id = 1 AND holder = ?").run(current.holder).changes === 1;
}

function isStale(record: LockRecord, now: Date, isAlive: (pid: number) => boolean): boolean {
  return Date.parse(record.lease_until) <= now.getTime() || !isAlive(record.pid);
}

/** Whether a local process exists (signal 0 checks without touching it; EPERM means it exists). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
