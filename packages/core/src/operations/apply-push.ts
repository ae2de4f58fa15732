import { AppError, isAppError } from "../app-error";
import { createIdGenerator } from "../ids";
import { mutationContext } from "../mutations/mutation";
import { applyMutation } from "../mutations/registry";
import type { Store } from "../store-port";
import type { MutationResult, PushRequest, PushResponse } from "../wire/push";
import { pushVersion } from "../wire/versions";
import { type DeleteGuard, defaultDeleteGuard, serverHooks } from "./server-hooks";

export interface ApplyPushDeps {
  store: Store;
  now: () => Date;
  /** Ids of audit rows and alerts (default: ULIDs). */
  newId?: () => string;
  /** The destruction guard (default: warn above 10 deletes a minute, critical above 50). */
  guard?: DeleteGuard | undefined;
  /** Crash tests stop the process at named points; a no-op otherwise. */
  faultPoint?: ((point: FaultPoint) => void) | undefined;
}

/** Named points where crash tests kill the server (see apps/cli/test). */
export type FaultPoint = "push.applied" | "push.committed" | "job.running";

/**
 * Applies a device's mutations in seq order, in one transaction, with the
 * device's last applied seq stored in that same transaction (SPEC section 3):
 * seq <= last is a duplicate; seq = last + 1 applies (or is rejected, still
 * advancing); seq > last + 1 stops the batch as out_of_order.
 */
export async function applyPush(deps: ApplyPushDeps, userId: string, request: PushRequest): Promise<PushResponse> {
  if (request.scope.userId !== userId) {
    throw new AppError("forbidden", "This push belongs to another account than the token's", {
      details: { reason: "scope_mismatch" },
    });
  }
  const mutations = [...request.mutations].sort((left, right) => left.seq - right.seq);
  return deps.store.transaction(async (tx) => {
    const initial = await tx.getDeviceSeq(userId, request.deviceId);
    let last = initial;
    // Replays of rejected seqs are answered "rejected" again, with the first reason.
    const replayed = mutations.filter((mutation) => mutation.seq <= initial).map((mutation) => mutation.seq);
    const rejected = new Map(
      (await tx.findRejections(userId, request.deviceId, replayed)).map((row) => [row.seq, row.reason]),
    );
    const results: MutationResult[] = [];
    const newId = deps.newId ?? createIdGenerator();
    const hooks = serverHooks({
      tx,
      userId,
      deviceId: request.deviceId,
      now: deps.now,
      newId,
      guard: deps.guard ?? defaultDeleteGuard,
    });
    const context = mutationContext(tx, userId, request.deviceId, hooks);
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
      try {
        await applyMutation(context, mutation.op, mutation.args);
        results.push({ seq: mutation.seq, status: "applied" });
      } catch (error) {
        // Only client faults (4xx: a mutation that does not validate) are
        // per-mutation rejections; a server fault aborts the whole batch, so
        // nothing half-applies and the client retries it as it stands.
        if (!isAppError(error) || error.status >= 500) throw error;
        const reason = `${error.code}: ${error.message}`;
        await tx.recordRejection(userId, request.deviceId, { seq: mutation.seq, reason, at: deps.now().toISOString() });
        results.push({ seq: mutation.seq, status: "rejected", reason });
      }
      last = mutation.seq;
    }
    if (last !== initial || mutations.length === 0) {
      await tx.setDeviceSeq(userId, request.deviceId, last, deps.now().toISOString());
    }
    if (last !== initial) {
      const tally: Record<string, number> = {};
      for (const result of results) tally[result.status] = (tally[result.status] ?? 0) + 1;
      await tx.recordAudit(userId, {
        id: newId(),
        at: deps.now().toISOString(),
        deviceId: request.deviceId,
        action: "sync.batch",
        targetType: null,
        targetId: null,
        details: { ...tally, firstSeq: initial + 1, lastAppliedSeq: last },
      });
    }
    deps.faultPoint?.("push.applied");
    return { pushVersion, lastAppliedSeq: last, results };
  });
}
