import { existsSync } from "node:fs";
import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, credentialsOf, pushDeadlineMs, withScope } from "./cli-context";
import { type Credentials, scopeKey } from "./credentials";
import { ownerRecordPath } from "./daemon/daemon-paths";
import { drainScope, loginRejected } from "./drain-scope";

/**
 * After a local write: hand the push to the scope's daemon when one runs
 * (it answers once it has drained, within the deadline), else one inline
 * push within a short deadline. Failure is fine: the write already
 * committed and its rows stay queued with their backoff recorded.
 * Nothing is tried while sync is paused, while the last failure's backoff
 * runs (with a server that drops packets every write would otherwise wait
 * out the whole deadline), or after the server refused this login.
 * `cairn sync now` always tries.
 */
async function pushAfterWrite(context: CliContext, local: LocalStore, credentials: Credentials | null): Promise<void> {
  const deadlineMs = pushDeadlineMs(context);
  if (!credentials || deadlineMs === 0) return;
  // Most writes run without a daemon: one stat, and the daemon code is never loaded.
  if (existsSync(ownerRecordPath(context.paths, scopeKey(credentials)))) {
    const { wakeDaemon } = await import("./daemon/daemon-client");
    if (await wakeDaemon(context, credentials, deadlineMs)) return;
  }
  if (local.state.get("paused") !== null || loginRejected(local, credentials)) return;
  const nextAttemptAt = local.state.get("nextAttemptAt");
  if (nextAttemptAt !== null && Date.parse(nextAttemptAt) > context.now().getTime()) return;
  try {
    await drainScope(context, local, credentials, { role: "inline", deadlineMs, waitForLock: false });
  } catch (error) {
    // A refused preflight leaves the write queued; `cairn sync status` explains it.
    if ((error as { code?: string }).code !== "preflight_refused") throw error;
  }
}

/**
 * After a change made on the server for this account (a chat turn's tools, an import): the
 * same push-and-pull as after a local write, so the rows it changed show here at once, not
 * only after `cairn sync now`. Failure is fine: the next sync brings them.
 */
export async function pullAfterServerChange(context: CliContext): Promise<void> {
  const credentials = credentialsOf(context);
  if (!credentials) return;
  await withScope(context, credentials, (local) => pushAfterWrite(context, local, credentials));
}

/**
 * Every CLI write: commits it in the current scope's store (with its outbox
 * row), pushes it (daemon or inline), and reports whether the entity it
 * touched has reached the server.
 */
export async function writeThenPush<T>(
  context: CliContext,
  write: (local: LocalStore) => Promise<T>,
  entityIdOf: (written: T) => string,
): Promise<T & { synced: boolean }> {
  const credentials = credentialsOf(context);
  return withScope(context, credentials, async (local) => {
    const written = await write(local);
    await pushAfterWrite(context, local, credentials);
    const entityId = entityIdOf(written);
    return { ...written, synced: !local.outbox.unsynced([entityId]).has(entityId) };
  });
}
