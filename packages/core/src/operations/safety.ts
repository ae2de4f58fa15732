import * as z from "zod";
import { AppError } from "../app-error";
import { idSchema } from "../entities";
import type { Store, UserStore } from "../store/store-port";
import type { FeedReads, SafetyReads } from "../store/store-roles";
import type { Digest } from "../store/store-types";
import { parseInput } from "../validate";
import { attribution } from "./attribution";
import { pagingSchema } from "./paging";
import { sessionIdleMs } from "./sessions";
import { trashRetentionMs } from "./trash";

/** Destruction alerts (newest first); `open` only those not acknowledged. */
/** Open ones only with `open` (a query string's "true"). */
export const alertListInput = pagingSchema.extend({
  open: z.preprocess((value) => (value === "false" ? false : value), z.coerce.boolean().optional()),
});

export async function listAlerts(deps: { store: SafetyReads }, input: z.input<typeof alertListInput>) {
  const parsed = parseInput(alertListInput, input);
  return deps.store.listAlerts({ open: parsed.open, limit: parsed.limit, offset: parsed.offset });
}

/** Acknowledges an alert: deletes go through again (guard = block), and the audit log says who did it. */
export async function ackAlert(
  deps: { store: UserStore; now: () => Date; newId: () => string },
  input: { id: string; by: string },
) {
  const id = parseInput(idSchema, input.id);
  const at = deps.now().toISOString();
  const acknowledged = await deps.store.transaction(async (tx) => {
    const changed = await tx.ackAlert(id, at, input.by);
    if (changed) {
      await tx.recordAudit({
        id: deps.newId(),
        at,
        deviceId: null,
        action: "alert.ack",
        targetType: "alert",
        targetId: id,
        details: { by: input.by },
      });
    }
    return changed;
  });
  if (!acknowledged) {
    const { alerts } = await deps.store.listAlerts({ limit: 500, offset: 0 });
    if (!alerts.some((alert) => alert.id === id)) throw new AppError("not_found", `No alert ${id}`);
  }
  return { id, acknowledgedAt: at };
}

export const auditInput = pagingSchema.extend({ since: z.string().optional(), action: z.string().max(40).optional() });

export async function listAudit(deps: { store: SafetyReads; now?: () => Date }, input: z.input<typeof auditInput>) {
  const parsed = parseInput(auditInput, input);
  const since = attribution({ since: parsed.since }, deps.now?.()).since;
  return deps.store.listAudit({ since, action: parsed.action, limit: parsed.limit, offset: parsed.offset });
}

export const digestInput = z.object({ project: z.string().max(64).optional(), since: z.string().optional() });

/** A recovery's bootstrap: the digest's filters, the device asking, and whether it only looks. */
export const recoveryInput = digestInput.extend({
  deviceId: z.string().max(64).optional(),
  dryRun: z.boolean().optional(),
});

/** Counts and hashes per type of what a recovery with the same filters restores (GET /api/sync/digest). */
export async function syncDigest(
  deps: { store: FeedReads; now?: () => Date },
  input: z.input<typeof digestInput>,
): Promise<{ digest: Digest }> {
  const parsed = parseInput(digestInput, input);
  const filter = attribution(parsed, deps.now?.());
  return { digest: await deps.store.digest({ projectId: filter.projectId, since: filter.since }) };
}

/**
 * The start of a recovery (POST /api/recovery/bootstrap): what a restore
 * brings back, per type, and how long the server took to count it. Every
 * recovery and dry run starts here, so the audit log records each one.
 */
export async function recoveryBootstrap(
  deps: { store: UserStore; now: () => Date; newId: () => string },
  input: z.input<typeof recoveryInput>,
) {
  const started = Date.now();
  const parsed = parseInput(digestInput, input);
  const filter = attribution(parsed, deps.now());
  const counts = await deps.store.countRows({ projectId: filter.projectId, since: filter.since });
  const durationMs = Date.now() - started;
  await deps.store.transaction((tx) =>
    tx.recordAudit({
      id: deps.newId(),
      at: deps.now().toISOString(),
      deviceId: input.deviceId ?? null,
      action: "recovery",
      targetType: null,
      targetId: null,
      details: { dryRun: input.dryRun !== false, counts, project: input.project ?? null, since: input.since ?? null },
    }),
  );
  return { counts, total: Object.values(counts).reduce((sum, count) => sum + count, 0), durationMs };
}

/**
 * Server jobs: end sessions idle for 30 minutes (a synced change, so every
 * device sees it; run at start too, so it holds across restarts) and purge
 * what has been in the trash for 30 days.
 */
export async function closeIdleSessions(deps: { store: Store; now: () => Date }): Promise<number> {
  const now = deps.now();
  const idle = await deps.store.system.findIdleSessions(new Date(now.getTime() - sessionIdleMs).toISOString(), 500);
  for (const { userId, session } of idle) {
    const endedAt = new Date(Date.parse(session.lastActivityAt) + sessionIdleMs).toISOString();
    await deps.store.forUser(userId).transaction(async (tx) => {
      const current = await tx.getSession(session.id);
      if (!current || current.endedAt !== null || current.lastActivityAt !== session.lastActivityAt) return;
      await tx.putSession({ ...current, endedAt }, await tx.nextSeq());
    });
  }
  return idle.length;
}

export async function purgeExpiredTrash(deps: { store: Store; now: () => Date }): Promise<number> {
  const before = new Date(deps.now().getTime() - trashRetentionMs).toISOString();
  return deps.store.system.transaction((tx) => tx.purgeTrashBefore(before));
}
