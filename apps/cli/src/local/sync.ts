import { AppError } from "@cairn/core/app-error";
import { type CliContext, credentialsOf, requireCredentials, withScope } from "../cli-context";
import { scopeKey } from "../credentials";
import { drainScope, preflightRefusal } from "../drain-scope";
import { publicProblems } from "../preflight";

/**
 * `cairn sync now` (and the MCP tool `sync_now`): the identity preflight,
 * then push everything queued and pull, waiting for another drainer of the
 * scope to finish. Throws with the fix when it cannot.
 */
export async function syncNow(context: CliContext) {
  const credentials = requireCredentials(context);
  return withScope(context, credentials, async (local) => {
    const { preflight } = await import("../preflight-load");
    const problems = preflight(context, credentials, local);
    const identity = problems.filter((problem) => problem.stops === "identity");
    if (identity.length > 0) throw preflightRefusal(identity);
    if (local.state.get("paused") !== null) {
      throw preflightRefusal(problems.filter((problem) => problem.code === "sync_paused"));
    }
    const result = await drainScope(context, local, credentials, {
      role: "sync-now",
      deadlineMs: 120_000,
      waitForLock: true,
    });
    if (result.skipped === "busy") {
      throw new AppError("timeout", "Another drainer kept this scope's lock for 2 minutes", {
        hint: "`cairn doctor` shows who holds it.",
      });
    }
    if (result.error?.code === "unauthenticated") {
      throw new AppError("unauthenticated", "The server refused the saved login (expired or revoked)", {
        hint: "Run `cairn login --server URL --token TOKEN` again; every queued row is kept.",
      });
    }
    if (result.error) throw result.error;
    return { pushed: result.pushed, pulled: result.pulled, pending: result.pending, dead: result.dead };
  });
}

/** `cairn sync status` (and the MCP tool `get_sync_status`): identity, queue, daemon, last results, problems. */
export async function syncStatus(context: CliContext) {
  const credentials = credentialsOf(context);
  return withScope(context, credentials, async (local) => {
    const [{ preflight, forkOf }, { liveDaemon }] = await Promise.all([
      import("../preflight-load"),
      import("../daemon/daemon-client"),
    ]);
    const checkStarted = performance.now();
    const problems = preflight(context, credentials, local);
    const preflightMs = Math.round((performance.now() - checkStarted) * 100) / 100;
    const counts = local.outbox.counts();
    const daemon = credentials ? await liveDaemon(context, scopeKey(credentials)) : null;
    const status = {
      server: credentials?.server ?? null,
      user: credentials ? credentials.user : null,
      scope: scopeKey(credentials),
      store: local.path,
      deviceId: local.deviceId,
      fork: forkOf(local),
      daemon: daemon ? { running: true, pid: daemon.pid, port: daemon.port } : { running: false },
      paused: local.state.get("paused") !== null,
      pending: counts.pending,
      inFlight: counts.inFlight,
      dead: counts.dead,
      oldestPendingAt: counts.oldestPendingAt,
      lastSuccessAt: local.state.get("lastSuccessAt"),
      lastError: local.state.get("lastError"),
      lastErrorAt: local.state.get("lastErrorAt"),
      nextAttemptAt: local.state.get("nextAttemptAt"),
      cursor: local.state.number("cursor"),
      problems: publicProblems(problems),
      preflightMs,
    };
    return { status, problems, daemon };
  });
}

/** `cairn sync pause|resume` (and the MCP tools): writes still queue while paused; nothing is sent. */
export async function setSyncPaused(context: CliContext, paused: boolean) {
  return withScope(context, credentialsOf(context), async (local) => {
    local.state.set("paused", paused ? context.now().toISOString() : null);
    return { paused };
  });
}
