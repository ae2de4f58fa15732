import { AppError, isAppError } from "@cairn/core/app-error";
import { limits } from "@cairn/core/limits";
import { pushVersion } from "@cairn/core/wire/versions";
import { applyPull } from "./apply-pull";
import { backoffDelay } from "./backoff";
import type { LocalStore } from "./local-store";
import type { OutboxRow } from "./outbox";
import { type SyncClient, TransportError } from "./sync-client";

export interface DrainDeps {
  local: LocalStore;
  client: SyncClient;
  now: () => Date;
  random?: () => number;
  /** Wall-clock budget for the whole drain (the inline push after a write uses 1.5 s). */
  deadlineMs: number;
  maxBatchRows?: number;
  maxBatchBytes?: number;
}

export interface DrainResult {
  pushed: number;
  pulled: number;
  pending: number;
  dead: number;
  /** Why the drain stopped early; the rows stay queued. */
  error: AppError | null;
}

/**
 * The push loop (SPEC section 3), one pass until the queue is empty or a
 * failure stops it:
 *
 *   select ──(no rows)──────────────────────────────► pull ──► done
 *     │                                                 ▲
 *     └─(rows)─► push ─(2xx)─► settle ─(more rows)─► select
 *                 │  └─(413)─► halve the batch ─► push (one row: park it dead)
 *                 └─(network, timeout, 5xx, 429, 401)─► record backoff ─► done
 *
 * Only a per-mutation rejection counts as an attempt (the row is parked dead);
 * transport failures leave rows pending with the next attempt time stored.
 */
export async function drain(deps: DrainDeps): Promise<DrainResult> {
  const { local, client, now } = deps;
  // The deadline is real elapsed time, like the AbortSignal timers that enforce it.
  const startedAt = Date.now();
  const signal = () => AbortSignal.timeout(Math.max(1, deps.deadlineMs - (Date.now() - startedAt)));
  let maxRows = deps.maxBatchRows ?? limits.pushMutations;
  const maxBytes = deps.maxBatchBytes ?? limits.bodyBytes - 64 * 1024;
  let pushed = 0;
  let pulled = 0;

  const finish = (error: AppError | null): DrainResult => {
    const counts = local.outbox.counts();
    return { pushed, pulled, pending: counts.pending, dead: counts.dead, error };
  };
  const fail = (error: unknown, rows: OutboxRow[]): DrainResult => {
    const appError = isAppError(error) ? error : new AppError("internal", "Sync failed", { cause: error });
    recordFailure(deps, appError, rows);
    return finish(appError);
  };

  for (;;) {
    if (Date.now() - startedAt >= deps.deadlineMs) return finish(new AppError("timeout", "Sync deadline reached"));
    const batch = local.outbox.nextBatch({ maxRows, maxBytes });
    if (batch.length === 0) break;
    let response: Awaited<ReturnType<SyncClient["push"]>>;
    try {
      response = await client.push(
        {
          pushVersion,
          deviceId: local.deviceId,
          scope: { userId: local.userId },
          mutations: batch.map((row) => ({
            seq: row.seq,
            op: row.op,
            args: JSON.parse(row.args),
            clientTime: row.clientTime,
          })),
        },
        signal(),
      );
    } catch (error) {
      if (isAppError(error) && error.code === "payload_too_large") {
        const [only] = batch;
        if (batch.length === 1 && only) {
          local.outbox.markDead(only.seq, "payload_too_large: this mutation alone is over the server's body limit");
          continue;
        }
        maxRows = Math.max(1, Math.floor(batch.length / 2));
        continue;
      }
      return fail(error, batch);
    }
    const settled = settle(local, batch, response);
    pushed += settled.done;
    if (settled.gap) {
      return fail(
        new AppError(
          "conflict",
          `The server expects seq ${response.lastAppliedSeq + 1}, which this store no longer has`,
          {
            details: { reason: "sync_gap", lastAppliedSeq: response.lastAppliedSeq },
          },
        ),
        batch,
      );
    }
  }

  try {
    for (;;) {
      const cursor = local.state.number("cursor");
      const page = await client.pull(cursor, 500, signal());
      pulled += await applyPull(local, page);
      if (!page.hasMore) break;
      if (page.cursor <= cursor) {
        throw new AppError("upstream_error", `The server's pull did not advance past cursor ${cursor}`);
      }
    }
  } catch (error) {
    // The queue is empty: a pull cut short (often by the inline deadline on a
    // big first pull) must not hold back the next write's push with a backoff.
    // Pages already applied stay; the next pull goes on from the cursor.
    const appError = isAppError(error) ? error : new AppError("internal", "Pull failed", { cause: error });
    local.state.set("lastError", `${appError.code}: ${appError.message}`);
    local.state.set("lastErrorAt", now().toISOString());
    return finish(appError);
  }
  local.store.db.transaction(() => {
    local.state.set("failures", "0");
    local.state.set("nextAttemptAt", null);
    local.state.set("lastSuccessAt", now().toISOString());
  })();
  return finish(null);
}

/** Applies the per-mutation statuses of a push response to the queue. */
function settle(
  local: LocalStore,
  batch: OutboxRow[],
  response: { lastAppliedSeq: number; results: { seq: number; status: string; reason?: string | undefined }[] },
): { done: number; gap: boolean } {
  const status = new Map(response.results.map((result) => [result.seq, result]));
  const done: number[] = [];
  for (const row of batch) {
    const result = status.get(row.seq);
    if (result?.status === "rejected") local.outbox.markDead(row.seq, result.reason ?? "rejected by the server");
    else if (result?.status === "applied" || result?.status === "duplicate" || row.seq <= response.lastAppliedSeq) {
      done.push(row.seq);
    }
  }
  local.outbox.remove(done);
  const first = batch[0];
  // out_of_order on our oldest pending row: the server is waiting for a seq we do not have.
  const gap = first !== undefined && status.get(first.seq)?.status === "out_of_order";
  return { done: done.length, gap };
}

function recordFailure(deps: DrainDeps, error: AppError, rows: OutboxRow[]): void {
  const { local, now } = deps;
  const failures = local.state.number("failures") + 1;
  const retryAfter = error instanceof TransportError ? error.retryAfterMs : undefined;
  const delay = retryAfter ?? backoffDelay(failures, deps.random ? { random: deps.random } : {});
  const nextAttemptAt = new Date(now().getTime() + delay).toISOString();
  const message = `${error.code}: ${error.message}`;
  local.store.db.transaction(() => {
    local.state.set("failures", String(failures));
    local.state.set("nextAttemptAt", nextAttemptAt);
    local.state.set("lastError", message);
    local.state.set("lastErrorAt", now().toISOString());
    local.outbox.recordFailure(
      rows.map((row) => row.seq),
      { error: message, nextAttemptAt },
    );
  })();
}
