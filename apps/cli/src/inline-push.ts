import type { DrainResult } from "@cairn/sync/drain";
import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, pushDeadlineMs, syncClientFor } from "./cli-context";
import type { Credentials } from "./credentials";

/**
 * After a local write: one push within a short deadline. Failure is fine (the
 * rows stay queued with their backoff recorded); the write already committed.
 * While the last failure's backoff runs, the write does not try: with a server
 * that drops packets every write would otherwise wait out the whole deadline.
 * `cairn sync now` always tries.
 */
export async function inlinePush(
  context: CliContext,
  local: LocalStore,
  credentials: Credentials | null,
): Promise<DrainResult | null> {
  const deadlineMs = pushDeadlineMs(context);
  if (!credentials || deadlineMs === 0) return null;
  const nextAttemptAt = local.state.get("nextAttemptAt");
  if (nextAttemptAt !== null && Date.parse(nextAttemptAt) > context.now().getTime()) return null;
  const { drain } = await import("@cairn/sync/drain");
  return drain({ local, client: await syncClientFor(context, credentials), now: context.now, deadlineMs });
}

/** Whether an entity has no queued mutation left. */
export function isSynced(local: LocalStore, entityId: string): boolean {
  return !local.outbox.unsynced([entityId]).has(entityId);
}
