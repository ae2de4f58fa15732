import { AppError, isAppError } from "../app-error";
import { createIdGenerator } from "../ids";
import { type MutationContext, mutationContext } from "../mutations/mutation";
import { applyMutation } from "../mutations/registry";
import type { UserStore, UserTx } from "../store/store-port";
import type { MutationResult, PushRequest, PushResponse, WireMutation } from "../wire/push";
import { pushVersion } from "../wire/versions";
import { type DeleteGuard, defaultDeleteGuard, serverHooks } from "./server-hooks";

export interface ApplyPushDeps {
  /** The pushing token's user. */
  store: UserStore;
  now: () => Date;
  /** Ids of audit rows and alerts (default: ULIDs). */
  newId?: () => string;
  /** The destruction guard (default: warn above 10 deletes a minute, critical above 50). */
  guard?: DeleteGuard | undefined;
  /** Crash tests stop the process at named points; a no-op otherwise. */
  faultPoint?: ((point: FaultPoint) => void) | undefined;
}

/** Named points where crash tests kill the server (see apps/cli/test). */
export type FaultPoint = "push.applied" | "push.committed" | "job.running" | "tool.ran" | "tool.committed";

/**
 * Applies a device's mutations in seq order, in one transaction, with the
 * device's last applied seq stored in that same transaction (SPEC section 3):
 * seq <= last is a duplicate; seq = last + 1 applies (or is rejected, still
 * advancing); seq > last + 1 stops the batch as out_of_order.
 *
 * A mutation is rejected for what it carries, never retried forever: its schema
 * refusing it, or the database refusing one of its values. The second shows only
 * when the database writes (PostgreSQL writes entries in batches, up to commit), so
 * a batch the database refuses is applied again with each mutation in a savepoint
 * that writes it through, and the one it refuses is rejected alone. Any other
 * failure while a mutation applies answers 500 naming its seq (`failedSeq`), so the
 * device can tell a row that keeps failing from a server that is down.
 */
export async function applyPush(deps: ApplyPushDeps, request: PushRequest): Promise<PushResponse> {
  if (request.scope.userId !== deps.store.userId) {
    throw new AppError("forbidden", "This push belongs to another account than the token's", {
      details: { reason: "scope_mismatch" },
    });
  }
  const mutations = [...request.mutations].sort((left, right) => left.seq - right.seq);
  try {
    return await deps.store.transaction((tx) => applyBatch(deps, tx, request, mutations, "fast"));
  } catch (error) {
    if (!deps.store.isDataError(rootCause(error))) throw error;
    return deps.store.transaction((tx) => applyBatch(deps, tx, request, mutations, "careful"));
  }
}

async function applyBatch(
  deps: ApplyPushDeps,
  tx: UserTx,
  request: PushRequest,
  mutations: WireMutation[],
  mode: "fast" | "careful",
): Promise<PushResponse> {
  const initial = await tx.getDeviceSeq(request.deviceId);
  if (request.sentThrough !== undefined && initial > request.sentThrough) {
    throw new AppError(
      "conflict",
      `The server applied seq ${initial} of device ${request.deviceId}, which says it sent only up to ${request.sentThrough}: another copy of this device pushed under its id`,
      { details: { reason: "device_forked", lastAppliedSeq: initial } },
    );
  }
  let last = initial;
  // Replays of rejected seqs are answered "rejected" again, with the first reason.
  const replayed = mutations.filter((mutation) => mutation.seq <= initial).map((mutation) => mutation.seq);
  const rejected = new Map((await tx.findRejections(request.deviceId, replayed)).map((row) => [row.seq, row.reason]));
  const results: MutationResult[] = [];
  const newId = deps.newId ?? createIdGenerator();
  const hooks = serverHooks({
    tx,
    deviceId: request.deviceId,
    now: deps.now,
    newId,
    guard: deps.guard ?? defaultDeleteGuard,
  });
  const context = mutationContext(tx, request.deviceId, hooks);
  for (const [index, mutation] of mutations.entries()) {
    if (mutation.seq <= last) {
      const reason = rejected.get(mutation.seq);
      results.push(
        reason === undefined
          ? { seq: mutation.seq, status: "duplicate" }
          : { seq: mutation.seq, status: "rejected", reason },
      );
      continue;
    }
    if (mutation.seq > last + 1) {
      for (const skipped of mutations.slice(index)) {
        results.push({ seq: skipped.seq, status: "out_of_order", reason: `expected seq ${last + 1}` });
      }
      break;
    }
    const reason = await applyOne(deps.store, context, mutation, mode);
    if (reason === null) results.push({ seq: mutation.seq, status: "applied" });
    else {
      await tx.recordRejection(request.deviceId, { seq: mutation.seq, reason, at: deps.now().toISOString() });
      results.push({ seq: mutation.seq, status: "rejected", reason });
    }
    last = mutation.seq;
  }
  if (last !== initial || mutations.length === 0) {
    await tx.setDeviceSeq(request.deviceId, last, deps.now().toISOString());
  }
  if (last !== initial) {
    const tally: Record<string, number> = {};
    for (const result of results) tally[result.status] = (tally[result.status] ?? 0) + 1;
    await tx.recordAudit({
      id: newId(),
      at: deps.now().toISOString(),
      deviceId: request.deviceId,
      action: "sync.batch",
      targetType: null,
      targetId: null,
      details: { ...tally, firstSeq: initial + 1, lastAppliedSeq: last, ...(mode === "careful" ? { mode } : {}) },
    });
  }
  deps.faultPoint?.("push.applied");
  return { pushVersion, lastAppliedSeq: last, results };
}

/** Applies one mutation; the reason it is rejected for what it carries, or null when it applied. */
async function applyOne(
  store: Pick<UserStore, "isDataError">,
  context: MutationContext,
  mutation: WireMutation,
  mode: "fast" | "careful",
): Promise<string | null> {
  try {
    if (mode === "fast") await applyMutation(context, mutation.op, mutation.args);
    else await context.tx.savepoint(() => applyMutation(context, mutation.op, mutation.args));
    return null;
  } catch (error) {
    // Only client faults (4xx: a mutation that does not validate) are per-mutation
    // rejections; a server fault aborts the whole batch, so nothing half-applies and
    // the client retries it as it stands.
    if (isAppError(error) && error.status < 500) return `${error.code}: ${error.message}`;
    if (mode === "careful" && store.isDataError(error)) {
      return `invalid_input: the database refused a value of this mutation (${databaseMessage(error)})`;
    }
    if (looksTransient(error)) throw error;
    throw new AppError("internal", "Internal error", { cause: error, details: { failedSeq: mutation.seq } });
  }
}

/** The error under an `internal` AppError this module wrapped around it. */
function rootCause(error: unknown): unknown {
  return isAppError(error) && error.code === "internal" && error.cause !== undefined ? error.cause : error;
}

function databaseMessage(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return `${typeof code === "string" ? `${code}: ` : ""}${String(message ?? error)}`.slice(0, 300);
}

/**
 * A failure of the connection or the database server rather than of the mutation
 * (PostgreSQL's SQLSTATE classes 08, 40, 53, 57 and 58; Node's socket errors;
 * SQLite's busy, locked, I/O and full-disk codes): never pinned on the mutation
 * that happened to be applying.
 */
function looksTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return false;
  return (
    /^(08|40|53|57|58)[0-9A-Z]{3}$/.test(code) ||
    /^E[A-Z]+$/.test(code) ||
    /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL|NOMEM|INTERRUPT)/.test(code)
  );
}
