import { AppError } from "@cairn/core/app-error";
import type { Command } from "commander";
import { type CliContext, credentialsOf, requireCredentials, syncClientFor, withScope } from "../cli-context";
import { scopeKey } from "../credentials";
import { printResult } from "../output";
import { scopeStorePath } from "../paths";
import { syncProblems } from "../sync-problems";
import { intOption } from "./options";

type JsonOption = { json?: boolean };

/** `cairn sync now|status|retry|queue`. */
export function registerSyncCommands(program: Command, context: CliContext): void {
  const sync = program.command("sync").description("The outbox and the server");

  sync
    .command("now")
    .description("Push everything queued, then pull")
    .option("--json", "print JSON")
    .action(async (options: JsonOption) => {
      const credentials = requireCredentials(context);
      await withScope(context, credentials, async (local) => {
        const { drain } = await import("@cairn/sync/drain");
        const result = await drain({
          local,
          client: await syncClientFor(context, credentials),
          now: context.now,
          deadlineMs: 120_000,
        });
        if (result.error) throw result.error;
        const summary = { pushed: result.pushed, pulled: result.pulled, pending: result.pending, dead: result.dead };
        printResult(
          context,
          Boolean(options.json),
          summary,
          () => `pushed ${summary.pushed}, pulled ${summary.pulled}, pending ${summary.pending}, dead ${summary.dead}`,
        );
      });
    });

  sync
    .command("status")
    .description("Server, identity, queue depth, last success and last error")
    .option("--check", "exit 2 when there are problems")
    .option("--json", "print JSON")
    .action(async (options: JsonOption & { check?: boolean }) => {
      const credentials = credentialsOf(context);
      await withScope(context, credentials, async (local) => {
        const counts = local.outbox.counts();
        const status = {
          server: credentials?.server ?? null,
          user: credentials ? credentials.user : null,
          scope: scopeKey(credentials),
          store: local.path,
          deviceId: local.deviceId,
          pending: counts.pending,
          dead: counts.dead,
          oldestPendingAt: counts.oldestPendingAt,
          lastSuccessAt: local.state.get("lastSuccessAt"),
          lastError: local.state.get("lastError"),
          lastErrorAt: local.state.get("lastErrorAt"),
          nextAttemptAt: local.state.get("nextAttemptAt"),
          cursor: local.state.number("cursor"),
          problems: syncProblems({
            credentials,
            counts,
            lastError: local.state.get("lastError"),
            localScopePending: credentials ? await pendingInLocalScope(context) : 0,
          }),
        };
        printResult(context, Boolean(options.json), status, () =>
          [
            `server:  ${status.server ?? "(not logged in)"}`,
            `user:    ${status.user ? `${status.user.name} (${status.user.id})` : "-"}`,
            `store:   ${status.store}`,
            `queue:   ${status.pending} pending, ${status.dead} dead${status.oldestPendingAt ? `, oldest ${status.oldestPendingAt}` : ""}`,
            `last ok: ${status.lastSuccessAt ?? "never"}`,
            `error:   ${status.lastError ?? "-"}`,
            ...status.problems.map((problem) => `problem: [${problem.code}] ${problem.message}`),
          ].join("\n"),
        );
        if (options.check && status.problems.length > 0) {
          throw new AppError("preflight_refused", `${status.problems.length} sync problem(s)`, {
            details: status.problems,
          });
        }
      });
    });

  sync
    .command("retry")
    .description("Re-arm dead rows so the next push sends them again")
    .option("--json", "print JSON")
    .action(async (options: JsonOption) => {
      await withScope(context, credentialsOf(context), async (local) => {
        const rearmed = local.outbox.retryDead();
        printResult(context, Boolean(options.json), { rearmed }, () => `re-armed ${rearmed} row(s)`);
      });
    });

  sync
    .command("queue")
    .description("List the queued mutations")
    .option("--limit <n>", "rows", intOption, 100)
    .option("--json", "print JSON")
    .action(async (options: JsonOption & { limit: number }) => {
      await withScope(context, credentialsOf(context), async (local) => {
        const queue = local.outbox.list(options.limit).map(({ args: _args, ...row }) => row);
        printResult(context, Boolean(options.json), { queue }, () =>
          queue.length === 0
            ? "queue empty"
            : queue
                .map(
                  (row) =>
                    `#${row.seq} ${row.op} ${row.entityId} ${row.state}${row.lastError ? ` (${row.lastError})` : ""}`,
                )
                .join("\n"),
        );
      });
    });
}

/** Rows still waiting in the `local` scope (written before login), without creating that store. */
async function pendingInLocalScope(context: CliContext): Promise<number> {
  const { existsSync } = await import("node:fs");
  if (!existsSync(scopeStorePath(context.paths, "local"))) return 0;
  return withScope(context, null, async (local) => local.outbox.counts().pending);
}
