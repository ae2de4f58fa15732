import { AppError } from "../app-error";
import type { MutationHooks, MutationTarget } from "../mutations/mutation";
import type { UserTx } from "../store/store-port";
import type { Alert } from "../store/store-types";
import { alertKind } from "../webhooks/fan-out";

/** The destruction guard's settings (SPEC section 6); every number is configurable. */
export interface DeleteGuard {
  /** warn: alert and let deletes through; block: after an alert, refuse deletes (423) until it is acknowledged. */
  mode: "warn" | "block";
  /** An alert once more than this many deletes fall in the window (default 10). */
  warnAbove: number;
  /** The alert turns critical above this many (default 50). */
  criticalAbove: number;
  windowMs: number;
}

export const defaultDeleteGuard: DeleteGuard = { mode: "warn", warnAbove: 10, criticalAbove: 50, windowMs: 60_000 };

export interface ServerHookDeps {
  tx: UserTx;
  deviceId: string | null;
  now: () => Date;
  newId: () => string;
  guard: DeleteGuard;
}

/**
 * The server's mutation hooks: every delete passes the destruction guard
 * and is recorded in the audit log (which is also what the guard counts, so
 * the count survives restarts and is shared by every server process on one
 * database); restores, purges and conflicts are recorded too. A refused
 * delete throws `locked`; the alert it raised or updated is already written
 * in the same transaction, which the caller commits (see applyPush and
 * serverSink).
 */
export function serverHooks(deps: ServerHookDeps): MutationHooks {
  const { tx, deviceId, now, newId, guard } = deps;
  const audit = (action: string, target: MutationTarget | null, details: Record<string, unknown> = {}) =>
    tx.recordAudit({
      id: newId(),
      at: now().toISOString(),
      deviceId,
      action,
      targetType: target?.type ?? null,
      targetId: target?.id ?? null,
      details,
    });

  const refuse = (alert: Alert) =>
    new AppError(
      "locked",
      `Deletes are blocked: ${alert.deleteCount} deletes within ${Math.round(guard.windowMs / 1000)} s raised alert ${alert.id}`,
      {
        details: { alertId: alert.id },
        hint: `Check what was deleted (cairn alerts list), then acknowledge it: cairn alerts ack ${alert.id}`,
      },
    );
  /** Fired as `destruction.alert` by a job, committed with the alert: a new alert, or one turned critical. */
  const fire = (alert: Alert, at: Date) =>
    tx.enqueueJob({
      id: newId(),
      kind: alertKind,
      dedupeKey: `${alertKind}:${alert.id}:${alert.severity}`,
      payload: { alertId: alert.id },
      maxAttempts: 8,
      runAt: at.toISOString(),
      createdAt: at.toISOString(),
    });

  /**
   * A delete in the window after an acknowledgement: it goes through (the user confirmed the
   * burst), and it still counts. Deletes the guard had blocked come through first and were
   * counted when blocked; every other one adds to the acknowledged alert, which turns critical
   * (open again, and fired again) when its count passes the critical threshold.
   */
  async function countAfterAck(acknowledged: Alert, target: MutationTarget, at: Date): Promise<void> {
    if (acknowledged.releasedCount < acknowledged.blockedCount) {
      await tx.putAlert({
        ...acknowledged,
        releasedCount: acknowledged.releasedCount + 1,
        updatedAt: at.toISOString(),
      });
      return;
    }
    const deleteCount = acknowledged.deleteCount + 1;
    const escalates = acknowledged.severity !== "critical" && deleteCount > guard.criticalAbove;
    // Turned critical in block mode: this delete waits for the new acknowledgement, like the first burst's.
    const refused = escalates && guard.mode === "block";
    const updated: Alert = {
      ...acknowledged,
      severity: escalates ? "critical" : acknowledged.severity,
      windowEnd: at.toISOString(),
      deleteCount,
      blockedCount: acknowledged.blockedCount + (refused ? 1 : 0),
      deletedIds: refused
        ? acknowledged.deletedIds
        : [...new Set([...acknowledged.deletedIds, target.id])].slice(0, 100),
      updatedAt: at.toISOString(),
    };
    await tx.putAlert(updated);
    if (!escalates) return;
    await tx.reopenAlert(acknowledged.id);
    await audit("alert.escalated", null, { alertId: acknowledged.id, deleteCount, severity: "critical" });
    await fire(updated, at);
    if (refused) throw refuse(updated);
  }

  return {
    async beforeDelete(target) {
      const at = now();
      const [latest] = (await tx.listAlerts({ limit: 1, offset: 0 })).alerts;
      const ackedAt = latest?.acknowledgedAt ? Date.parse(latest.acknowledgedAt) : null;
      if (latest && ackedAt !== null && at.getTime() < ackedAt + guard.windowMs) {
        await countAfterAck(latest, target, at);
        return;
      }
      // Deletes of the window after an acknowledgement were counted on that alert: not again here.
      const floor = ackedAt === null ? 0 : ackedAt + guard.windowMs;
      const since = new Date(Math.max(at.getTime() - guard.windowMs, floor)).toISOString();
      const open = latest?.acknowledgedAt === null ? latest : undefined;
      if (guard.mode === "block" && open) {
        const updated = {
          ...open,
          deleteCount: open.deleteCount + 1,
          blockedCount: open.blockedCount + 1,
          updatedAt: at.toISOString(),
        };
        await tx.putAlert(updated);
        throw refuse(updated);
      }
      const recent = await tx.recentDeletes(since);
      const count = recent.count + 1;
      if (count <= guard.warnAbove) return;
      const blocked = guard.mode === "block";
      const deletedIds = (blocked ? recent.ids : [...recent.ids, target.id]).slice(0, 100);
      const severity = count > guard.criticalAbove ? "critical" : "warning";
      const current = open && Date.parse(open.windowEnd) >= Date.parse(since) ? open : null;
      const alert: Alert = current
        ? {
            ...current,
            severity: current.severity === "critical" ? "critical" : severity,
            windowEnd: at.toISOString(),
            deleteCount: Math.max(current.deleteCount + 1, count),
            blockedCount: current.blockedCount + (blocked ? 1 : 0),
            deletedIds: [...new Set([...current.deletedIds, ...deletedIds])].slice(0, 100),
            updatedAt: at.toISOString(),
          }
        : {
            id: newId(),
            kind: "destruction",
            severity,
            windowStart: since,
            windowEnd: at.toISOString(),
            deleteCount: count,
            blockedCount: blocked ? 1 : 0,
            releasedCount: 0,
            deletedIds,
            createdAt: at.toISOString(),
            updatedAt: at.toISOString(),
            acknowledgedAt: null,
            acknowledgedBy: null,
          };
      await tx.putAlert(alert);
      if (!current) await audit("alert.raised", null, { alertId: alert.id, deleteCount: count, severity });
      if (!current || current.severity !== alert.severity) await fire(alert, at);
      if (blocked) throw refuse(alert);
    },
    deleted: (target) => audit("delete", target),
    restored: (target) => audit("restore", target),
    purged: (target) => audit("purge", target),
    conflict: ({ type, id, winner, loser }) => audit("conflict", { type, id }, { winner, loser }),
    // A memory's history (its page in the web UI); tasks change status too often to keep each one.
    replaced: async ({ type, id, previous }) => {
      if (type === "memory") await audit("version", { type, id }, { previous });
    },
  };
}
