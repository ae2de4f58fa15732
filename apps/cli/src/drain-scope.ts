import { AppError } from "@cairn/core/app-error";
import type { DrainResult } from "@cairn/sync/drain";
import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, syncClientFor } from "./cli-context";
import type { Credentials } from "./credentials";
import { identityProblems, type Problem, problemLines, publicProblems, refusedSinceLogin } from "./preflight";

export type DrainerRole = "inline" | "sync-now" | "daemon";

/**
 * Every push of the CLI goes through here (the inline push after a write,
 * `cairn sync now`, the daemon): the identity preflight, then one drain
 * under the scope's lock. A store whose recorded identity is not the
 * login's is never pushed: its rows would land in the wrong account.
 */
export async function drainScope(
  context: CliContext,
  local: LocalStore,
  credentials: Credentials,
  options: { role: DrainerRole; deadlineMs: number; waitForLock: boolean },
): Promise<DrainResult> {
  const refused = identityProblems(credentials, local.identity, local.path);
  if (refused.length > 0) throw preflightRefusal(refused);
  const [{ drain }, { processAlive }] = await Promise.all([
    import("@cairn/sync/drain"),
    import("@cairn/sync/drain-lock"),
  ]);
  return drain({
    local,
    client: await syncClientFor(context, credentials),
    now: context.now,
    deadlineMs: options.deadlineMs,
    waitForLock: options.waitForLock,
    drainer: {
      holder: `${options.role}:${context.pid}:${context.newId()}`,
      pid: context.pid,
      role: options.role,
      isAlive: processAlive,
    },
    crashPoint: context.crashAt,
    newDeviceId: context.newId,
  });
}

/** Whether the server already refused this login (401 after it was saved): drainers wait for a new login. */
export function loginRejected(local: LocalStore, credentials: Credentials): boolean {
  return refusedSinceLogin(local.state.get("unauthorizedAt"), credentials);
}

/** Refusal by preflight: exit 2, at most 25 lines, every problem with its code and fix. */
export function preflightRefusal(problems: Problem[]): AppError {
  // 23 lines of problems, the fix line and the exit line: at most 25 in all.
  return new AppError("preflight_refused", problemLines(problems, 23).join("\n  "), {
    details: { problems: publicProblems(problems) },
    hint: "`cairn sync status --check --json` lists every problem.",
  });
}
