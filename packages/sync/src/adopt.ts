import { AppError, isAppError } from "@cairn/core/app-error";
import { mutationContext } from "@cairn/core/mutations/mutation";
import { applyMutation } from "@cairn/core/mutations/registry";
import type { LocalStore } from "./local-store";

export interface AdoptResult {
  /** Rows copied into the account by this run. */
  adopted: number;
  /** Rows an interrupted earlier run had already copied (skipped, not copied twice). */
  alreadyAdopted: number;
}

/**
 * `cairn sync adopt` (SPEC section 3): moves what was written before any
 * login (the `local` scope) into the logged-in account's scope.
 *
 * The local scope never syncs, so its outbox describes all of its data: each
 * queued mutation is replayed into the destination (applied with its ids, so
 * a row already there is left alone: insert-or-ignore) and queued there under
 * a new seq, together with a record of the source row it came from, in one
 * transaction per batch. Only after every batch is committed is the source
 * cleared, in one transaction. A crash between the two leaves both copies;
 * the next run finds every source row in `adopted`, copies nothing, and
 * clears the source. Running it twice is a no-op.
 */
export async function adoptLocalScope(
  source: LocalStore,
  destination: LocalStore,
  options: {
    now: () => Date;
    queueCap: number;
    batchRows?: number;
    crashPoint?: ((point: "client.adopt.copied") => void) | undefined;
  },
): Promise<AdoptResult> {
  if (source.path === destination.path) throw new AppError("bad_request", "A scope cannot adopt itself");
  const rows = source.outbox.list(Number.MAX_SAFE_INTEGER);
  const sourceDevice = source.deviceId;
  const seen = destination.store.db.prepare("SELECT 1 FROM adopted WHERE source_device = ? AND source_seq = ?");
  const remember = destination.store.db.prepare(
    "INSERT INTO adopted (source_device, source_seq, adopted_at) VALUES (?, ?, ?)",
  );
  const fresh = rows.filter((row) => seen.get(sourceDevice, row.seq) === undefined);
  const queued = destination.outbox.queuedCount();
  if (queued + fresh.length > options.queueCap) {
    throw new AppError(
      "queue_full",
      `Adopting ${fresh.length} rows would take the outbox past its cap of ${options.queueCap}`,
      { hint: "Run `cairn sync now` to send what is queued first; nothing was moved." },
    );
  }
  const batchRows = options.batchRows ?? 500;
  for (let start = 0; start < fresh.length; start += batchRows) {
    const batch = fresh.slice(start, start + batchRows);
    await destination.user.transaction(async (tx) => {
      const context = mutationContext(tx);
      for (const row of batch) {
        const args: unknown = JSON.parse(row.args);
        try {
          await applyMutation(context, row.op, args);
        } catch (error) {
          // A row this store cannot apply is still queued: the server judges it
          // and a rejection parks it dead with its reason, visible and retryable.
          if (!isAppError(error) || error.status >= 500) throw error;
        }
        destination.outbox.enqueue({ op: row.op, args, entityId: row.entityId, clientTime: row.clientTime });
        remember.run(sourceDevice, row.seq, options.now().toISOString());
      }
    });
  }
  options.crashPoint?.("client.adopt.copied");
  clearSource(
    source,
    rows.map((row) => row.seq),
  );
  return { adopted: fresh.length, alreadyAdopted: rows.length - fresh.length };
}

/** Removes the adopted rows from the source, and its data once its queue is empty. */
function clearSource(source: LocalStore, seqs: number[]): void {
  const db = source.store.db;
  const remove = db.prepare("DELETE FROM outbox WHERE seq = ?");
  db.transaction(() => {
    for (const seq of seqs) remove.run(seq);
    // A write that landed in the local scope during the adoption keeps its data (and is adopted next time).
    if (source.outbox.counts().pending + source.outbox.counts().dead > 0) return;
    for (const table of ["entries", "threads", "projects"]) {
      db.prepare(`DELETE FROM ${table} WHERE user_id = ?`).run(source.userId);
    }
  })();
}
