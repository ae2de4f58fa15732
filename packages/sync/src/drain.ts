import { AppError, isAppError } from "@cairn/core/app-error";
import { createIdGenerator } from "@cairn/core/ids";
import { limits } from "@cairn/core/limits";
import { trashRetentionMs } from "@cairn/core/retention";
import { ApiError } from "@cairn/core/wire/error-body";
import { pushVersion } from "@cairn/core/wire/versions";
import { applyPull, rememberAlerts } from "./apply-pull";
import { backoffDelay } from "./backoff";
import { DrainLock, type DrainLockOptions } from "./drain-lock";
import type { LocalStore } from "./local-store";
import type { OutboxRow } from "./outbox";
import type { SyncClient } from "./sync-client";

export interface DrainDeps {
  local: LocalStore;
  client: SyncClient;
  now: () => Date;
  random?: () => number;
  /** Wall-clock budget for the whole drain (the inline push after a write uses 1.5 s). */
  deadlineMs: number;
  maxBatchRows?: number;
  maxBatchBytes?: number;
  /** Who drains: the scope lock admits one drainer at a time, across processes. */
  drainer: Omit<DrainLockOptions, "now">;
  /** Wait for the lock until the deadline (`sync now`, the daemon) or give up at once (an inline push). */
  waitForLock: boolean;
  /** Crash tests stop the process at named durable steps; a no-op otherwise. */
  crashPoint?: ((point: ClientCrashPoint) => void) | undefined;
  /** A new device id, for when this store finds another copy of itself pushing under its id (default: a ULID). */
  newDeviceId?: (() => string) | undefined;
}

/** Pushes in a row the server may fail (5xx) on one row before the row is parked dead. */
export const serverFailureLimit = 5;

/**
 * The client's named durable steps, where crash tests SIGKILL the CLI (the
 * write's own steps, `client.write.applied|committed`, are in LocalStore.sink).
 */
export type ClientCrashPoint =
  | "client.push.in_flight"
  | "client.push.sent"
  | "client.push.response"
  | "client.push.acked"
  | "client.pull.applied";

export interface DrainResult {
  pushed: number;
  pulled: number;
  pending: number;
  dead: number;
  /** Set when nothing was attempted: another drainer holds the scope, or sync is paused. */
  skipped: "busy" | "paused" | null;
  /** Why the drain stopped early; the rows stay queued. */
  error: AppError | null;
}

/**
 * The push loop (SPEC section 3), one pass until the queue is empty or a
 * failure stops it. Every arrow that leaves a state after "mark in flight"
 * is committed in SQLite before the next step, so a crash anywhere leaves a
 * state the next pass resumes from:
 *
 *   paused? ──yes──────────────────────────────────────────────► done (skipped)
 *     │no
 *   lock ──(held by a live drainer)────────────────────────────► done (skipped: busy)
 *     │ours
 *   select ──(no rows)──────────────────────────────────────────► pull ──► release ──► done
 *     │rows                                                         ▲
 *   mark in flight (state=in_flight, drainer, sent_at)              │
 *     │                                                             │
 *   push ──(2xx)──► settle: applied|duplicate → delete,             │
 *     │                     rejected → dead + reason,               │
 *     │                     out_of_order → pending ──(more)──► select
 *     ├─(413, many rows)─► halve the batch ─► select
 *     ├─(413, one row)──► park it dead ─► select
 *     ├─(409 device_forked)─► become a new device (renumber, pull from 0) ─► select
 *     ├─(5xx naming a row, the 5th time in a row)─► park that row dead ─► select
 *     ├─(401)───────────► record unauthorized, rows pending ─► release ─► done (error)
 *     └─(network, timeout, 5xx, 429)─► rows pending, backoff (Retry-After) ─► release ─► done (error)
 *
 * Only a per-mutation rejection counts as an attempt; a transport failure
 * leaves attempts alone and stores the next attempt time. A row left
 * in_flight by a drainer that died is resent with its seq and ids: the
 * server's per-device seq answers `duplicate` if the first send landed.
 * Every push says the highest seq sent before it (`sentThrough`): a server
 * that applied more of this device's seqs than that has met another copy of
 * this store (a copied CAIRN_HOME), and this one becomes a new device.
 */
export async function drain(deps: DrainDeps): Promise<DrainResult> {
  const { local, client, now } = deps;
  // The deadline is real elapsed time, like the AbortSignal timers that enforce it.
  const startedAt = Date.now();
  const remaining = () => Math.max(1, deps.deadlineMs - (Date.now() - startedAt));
  const signal = () => AbortSignal.timeout(Math.min(remaining(), requestTimeoutMs));
  let maxRows = deps.maxBatchRows ?? limits.pushMutations;
  const maxBytes = deps.maxBatchBytes ?? limits.bodyBytes - 64 * 1024;
  let pushed = 0;
  let pulled = 0;

  const finish = (error: AppError | null, skipped: DrainResult["skipped"] = null): DrainResult => {
    const counts = local.outbox.counts();
    return { pushed, pulled, pending: counts.pending, dead: counts.dead, skipped, error };
  };
  if (local.state.get("paused") !== null) return finish(null, "paused");

  const lock = new DrainLock(local.store.db, { ...deps.drainer, now });
  const acquired = deps.waitForLock ? await lock.acquire(startedAt + deps.deadlineMs) : lock.tryAcquire();
  if (!acquired) return finish(null, "busy");
  // A live holder keeps its lease while a request is out; a frozen one loses it.
  const renewal = setInterval(() => lock.renew(), (deps.drainer.leaseMs ?? 30_000) / 3);
  renewal.unref?.();
  try {
    return await drainHoldingLock();
  } finally {
    clearInterval(renewal);
    lock.release();
  }

  async function drainHoldingLock(): Promise<DrainResult> {
    let forked = false;
    // Deletes the server refused while its destruction guard blocked (423) are parked, not dropped:
    // each drain sends them again, and they go through once the alert is acknowledged.
    local.outbox.retryDead("locked:");
    const fail = (error: unknown, rows: OutboxRow[]): DrainResult => {
      const appError = isAppError(error) ? error : new AppError("internal", "Sync failed", { cause: error });
      recordFailure(deps, appError, rows);
      return finish(appError);
    };

    // The next batch, read and serialised while the previous one is out (the drain would otherwise
    // sit idle while the server works, and the server while the drain prepares): used only when the
    // previous batch settled whole, so it is exactly the first rows not dead.
    let prepared: { batch: OutboxRow[]; sentThrough: number; body: string } | null = null;
    for (;;) {
      if (Date.now() - startedAt >= deps.deadlineMs) return finish(new AppError("timeout", "Sync deadline reached"));
      if (!lock.renew()) return finish(new AppError("conflict", "Another drainer took over this scope's lock"));
      const batch: OutboxRow[] = prepared?.batch ?? local.outbox.nextBatch({ maxRows, maxBytes });
      if (batch.length === 0) break;
      const sentThrough = markSent(local, batch, deps.drainer.holder, now());
      const body = prepared?.sentThrough === sentThrough ? prepared.body : pushBody(local, batch, sentThrough);
      prepared = null;
      deps.crashPoint?.("client.push.in_flight");
      let response: Awaited<ReturnType<SyncClient["push"]>>;
      const request = client.pushBody(body, signal());
      // Its failure is read below; until then it must not count as unhandled.
      request.catch(() => {});
      // Once the request is on its way, the next batch is read and serialised while the server applies this one.
      await new Promise((resolve) => setImmediate(resolve));
      const last = seqRange(batch).last;
      const following = local.outbox.nextBatch({ maxRows, maxBytes }, last);
      const mark = Math.max(sentThrough, last);
      const upcoming =
        following.length > 0 ? { batch: following, sentThrough: mark, body: pushBody(local, following, mark) } : null;
      try {
        response = await request;
      } catch (error) {
        if (isAppError(error) && serverDetail(error, "reason") === "device_forked" && !forked) {
          // Another copy of this store pushed under its id: send everything again as a new device.
          forked = true;
          local.becomeNewDevice((deps.newDeviceId ?? createIdGenerator())(), now());
          maxRows = deps.maxBatchRows ?? limits.pushMutations;
          continue;
        }
        const failedSeq = serverDetail(error, "failedSeq");
        if (typeof failedSeq === "number" && batch.some((row) => row.seq === failedSeq)) {
          // The server failed while applying this row: after a few pushes in a row, park it so the rows
          // behind it go on (a server that is down fails before any row and never gets here).
          const failures = local.outbox.recordServerFailure(failedSeq);
          if (failures >= serverFailureLimit) {
            local.outbox.returnToPending(batch.map((row) => row.seq));
            local.outbox.markDead(
              failedSeq,
              `server_error: the server failed ${failures} times in a row applying this mutation (${(error as AppError).message})`,
            );
            continue;
          }
        }
        // Refused as a whole for what it carries (too big, or a row whose stored JSON is damaged):
        // halve the batch until the one row at fault is alone, and park that row dead.
        if (isAppError(error) && refusedForContent.has(error.code)) {
          const [only] = batch;
          if (batch.length === 1 && only) {
            const why =
              error.code === "payload_too_large"
                ? "this mutation alone is over the server's body limit"
                : `the server refused this mutation alone: ${error.message}`;
            local.outbox.markDead(only.seq, `${error.code}: ${why}`);
            continue;
          }
          local.outbox.returnToPending(batch.map((row) => row.seq));
          maxRows = Math.max(1, Math.floor(batch.length / 2));
          continue;
        }
        return fail(error, batch);
      }
      deps.crashPoint?.("client.push.response");
      rememberAlerts(local, response.alerts);
      const settled = settle(local, batch, response);
      deps.crashPoint?.("client.push.acked");
      pushed += settled.done;
      if (settled.whole) prepared = upcoming;
      if (settled.gap) {
        // The server waits for a seq this client parked dead before the server read it:
        // a `sync.skip` in its place moves the server past it (the row stays dead here).
        const parked = local.outbox.get(response.lastAppliedSeq + 1);
        if (parked?.state === "dead") {
          try {
            await client.pushBody(skipBody(local, parked, markSkipSent(local, parked.seq)), signal());
          } catch (error) {
            return fail(error, batch);
          }
          continue;
        }
        return fail(
          new AppError(
            "conflict",
            `The server expects seq ${response.lastAppliedSeq + 1}, which this store no longer has`,
            { details: { reason: "sync_gap", lastAppliedSeq: response.lastAppliedSeq } },
          ),
          batch,
        );
      }
    }

    try {
      for (;;) {
        const cursor = local.state.number("cursor");
        const page = await client.pull(cursor, 500, signal(), local.deviceId);
        pulled += await applyPull(local, page);
        deps.crashPoint?.("client.pull.applied");
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
      if (appError.code === "unauthenticated") local.state.set("unauthorizedAt", now().toISOString());
      return finish(appError);
    }
    await purgeLocalTrash(local, now());
    local.store.db.transaction(() => {
      local.state.set("failures", "0");
      local.state.set("nextAttemptAt", null);
      local.state.set("unauthorizedAt", null);
      local.state.set("lastError", null);
      local.state.set("lastErrorAt", null);
      local.state.set("lastSuccessAt", now().toISOString());
    })();
    return finish(null);
  }
}

/** Whole-request refusals that point at the batch's content, not at the network or the login. */
const refusedForContent = new Set(["payload_too_large", "malformed_json", "bad_request", "invalid_input"]);

/** A value the server put in its error's details (the sync client keeps them under `server`). */
function serverDetail(error: unknown, key: string): unknown {
  const details = (error as { details?: { server?: Record<string, unknown> } } | null)?.details;
  return details?.server?.[key];
}

/**
 * Marks a batch in flight and moves the device's sent high-water mark past it, in one
 * transaction, before the request leaves: the server can then never have applied a seq of
 * this store beyond what the store recorded as sent. Returns the mark before this batch.
 */
function markSent(local: LocalStore, batch: OutboxRow[], drainer: string, at: Date): number {
  const range = seqRange(batch);
  const before = local.state.number("sentThrough");
  local.store.db.transaction(() => {
    local.outbox.markInFlight(range, drainer, at.toISOString());
    if (range.last > before) local.state.set("sentThrough", String(range.last));
  })();
  return before;
}

function markSkipSent(local: LocalStore, seq: number): number {
  const before = local.state.number("sentThrough");
  if (seq > before) local.state.set("sentThrough", String(seq));
  return before;
}

/**
 * The push body, written around each row's stored JSON: the args were
 * serialised once when queued; parsing and serialising them again for every
 * send cost a fifth of a large drain (measured).
 */
function pushBody(local: LocalStore, batch: OutboxRow[], sentThrough: number): string {
  const mutations = batch.map(
    (row) =>
      `{"seq":${row.seq},"op":${JSON.stringify(row.op)},"args":${row.args},"clientTime":${JSON.stringify(row.clientTime)}}`,
  );
  return `{"pushVersion":${pushVersion},"deviceId":${JSON.stringify(local.deviceId)},"scope":{"userId":${JSON.stringify(local.userId)}},"sentThrough":${sentThrough},"mutations":[${mutations.join(",")}]}`;
}

function skipBody(local: LocalStore, row: OutboxRow, sentThrough: number): string {
  return JSON.stringify({
    pushVersion,
    deviceId: local.deviceId,
    scope: { userId: local.userId },
    sentThrough,
    mutations: [
      {
        seq: row.seq,
        op: "sync.skip",
        args: { reason: (row.lastError ?? "parked").slice(0, 2000) },
        clientTime: row.clientTime,
      },
    ],
  });
}

/**
 * The server purges what has been in the trash for 30 days, and purged rows
 * are not pulled: each store purges its own copies by the same rule, once a day.
 */
async function purgeLocalTrash(local: LocalStore, now: Date): Promise<void> {
  const last = local.state.get("lastTrashPurgeAt");
  if (last !== null && now.getTime() - Date.parse(last) < 86_400_000) return;
  const before = new Date(now.getTime() - trashRetentionMs).toISOString();
  await local.store.system.transaction((tx) => tx.purgeTrashBefore(before));
  local.state.set("lastTrashPurgeAt", now.toISOString());
}

/** One request never outlives a third of the lock's lease by much (the lease is renewed meanwhile). */
const requestTimeoutMs = 20_000;

/** Applies the per-mutation statuses of a push response to the queue. */
function settle(
  local: LocalStore,
  batch: OutboxRow[],
  response: { lastAppliedSeq: number; results: { seq: number; status: string; reason?: string | undefined }[] },
): { done: number; gap: boolean; whole: boolean } {
  const status = new Map(response.results.map((result) => [result.seq, result]));
  const waiting: number[] = [];
  let done = 0;
  // One transaction: a crash leaves the whole batch either settled or in flight.
  local.store.db.transaction(() => {
    for (const row of batch) {
      const result = status.get(row.seq);
      if (result?.status === "rejected") local.outbox.markDead(row.seq, result.reason ?? "rejected by the server");
      else if (result?.status !== "applied" && result?.status !== "duplicate" && row.seq > response.lastAppliedSeq) {
        // Not taken (out_of_order after a gap): it waits for the next pass.
        waiting.push(row.seq);
      }
    }
    local.outbox.returnToPending(waiting);
    // What is still in flight now is what the server has.
    done = local.outbox.removeInFlight(seqRange(batch));
  })();
  const first = batch[0];
  // out_of_order on our oldest pending row: the server is waiting for a seq we do not have.
  const gap = first !== undefined && status.get(first.seq)?.status === "out_of_order";
  // Every row left the queue or was parked: nothing of this batch waits to be sent again.
  return { done, gap, whole: waiting.length === 0 && !gap };
}

function seqRange(batch: OutboxRow[]): { first: number; last: number } {
  return { first: batch[0]?.seq ?? 0, last: batch.at(-1)?.seq ?? -1 };
}

function recordFailure(deps: DrainDeps, error: AppError, rows: OutboxRow[]): void {
  const { local, now } = deps;
  const message = `${error.code}: ${error.message}`;
  // 401 stops every drainer until a newer login (see preflight); backing off would only delay that login's first push.
  const unauthorized = error.code === "unauthenticated";
  const failures = local.state.number("failures") + (unauthorized ? 0 : 1);
  const retryAfter = error instanceof ApiError ? error.retryAfterMs : undefined;
  const delay = unauthorized ? 0 : (retryAfter ?? backoffDelay(failures, deps.random ? { random: deps.random } : {}));
  const nextAttemptAt = new Date(now().getTime() + delay).toISOString();
  local.store.db.transaction(() => {
    local.state.set("failures", String(failures));
    local.state.set("nextAttemptAt", unauthorized ? null : nextAttemptAt);
    local.state.set("lastError", message);
    local.state.set("lastErrorAt", now().toISOString());
    if (unauthorized) local.state.set("unauthorizedAt", now().toISOString());
    local.outbox.recordFailure(
      rows.map((row) => row.seq),
      { error: message, nextAttemptAt },
    );
  })();
}
