import type { DrainResult } from "@cairn/sync/drain";
import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, credentialsOf, pushDeadlineMs, syncClientFor, withScope } from "./cli-context";
import type { Credentials } from "./credentials";

/**
 * After a local write: one push within a short deadline. Failure is fine (the
 * rows stay queued with their backoff recorded); the write already committed.
 * While the last failure's backoff runs, the write does not try: with a server
 * that drops packets every write would otherwise wait out the whole deadline.
 * `cairn sync now` always tries.
 */
async function inlinePush(
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

/**
 * Every CLI write: commits it in the current scope's store (with its outbox
 * row), tries the inline push, and reports whether the entity it touched has
 * reached the server.
 */
export async function writeThenPush<T>(
  context: CliContext,
  write: (local: LocalStore) => Promise<T>,
  entityIdOf: (written: T) => string,
): Promise<T & { synced: boolean }> {
  const credentials = credentialsOf(context);
  return withScope(context, credentials, async (local) => {
    const written = await write(local);
    await inlinePush(context, local, credentials);
    const entityId = entityIdOf(written);
    return { ...written, synced: !local.outbox.unsynced([entityId]).has(entityId) };
  });
}
