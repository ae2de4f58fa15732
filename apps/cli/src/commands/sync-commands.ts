import { AppError } from "@cairn/core/app-error";
import type { Command } from "commander";
import { type CliContext, credentialsOf, queueCap, requireCredentials, withScope } from "../cli-context";
import { printResult } from "../output";
import { problemLines } from "../preflight";
import { registerDaemonCommands } from "./daemon-commands";
import { intOption } from "./options";

type JsonOption = { json?: boolean };

/** `cairn sync now|status|retry|queue|adopt|pause|resume|daemon`. */
export function registerSyncCommands(program: Command, context: CliContext): void {
  const sync = program.command("sync").description("The outbox and the server");

  sync
    .command("now")
    .description("Push everything queued, then pull (waits for another drainer of this scope to finish)")
    .option("--json", "print JSON")
    .action(async (options: JsonOption) => {
      const { syncNow } = await import("../local/sync");
      const summary = await syncNow(context);
      printResult(
        context,
        Boolean(options.json),
        summary,
        () => `pushed ${summary.pushed}, pulled ${summary.pulled}, pending ${summary.pending}, dead ${summary.dead}`,
      );
    });

  sync
    .command("status")
    .description("Server, identity, daemon, queue depth, last success, last error and problems")
    .option("--check", "only the preflight: exit 2 when there are problems")
    .option("--json", "print JSON")
    .action(async (options: JsonOption & { check?: boolean }) => {
      const { syncStatus } = await import("../local/sync");
      const { status, problems, daemon } = await syncStatus(context);
      if (options.check) {
        printResult(context, Boolean(options.json), status, () =>
          problems.length === 0 ? "ok: no sync problems" : problemLines(problems).join("\n"),
        );
        if (problems.length > 0) {
          throw new AppError("preflight_refused", `${problems.length} sync problem(s)`, {
            hint: "each problem above names its fix",
          });
        }
        return;
      }
      printResult(context, Boolean(options.json), status, () =>
        [
          `server:  ${status.server ?? "(not logged in)"}`,
          `user:    ${status.user ? `${status.user.name} (${status.user.id})` : "-"}`,
          `store:   ${status.store}`,
          `device:  ${status.deviceId}${status.fork ? ` (was ${status.fork.from} until ${status.fork.at}: another copy of this store pushed under that id)` : ""}`,
          `daemon:  ${daemon ? `running (pid ${daemon.pid})` : "not running"}${status.paused ? " (sync paused)" : ""}`,
          `queue:   ${status.pending} pending (${status.inFlight} in flight), ${status.dead} dead${status.oldestPendingAt ? `, oldest ${status.oldestPendingAt}` : ""}`,
          `last ok: ${status.lastSuccessAt ?? "never"}`,
          `error:   ${status.lastError ?? "-"}`,
          ...problemLines(problems, 18).slice(problems.length > 0 ? 0 : 1),
        ].join("\n"),
      );
    });

  sync
    .command("adopt")
    .description("Move rows written before login (the local scope) into the logged-in account")
    .option("--json", "print JSON")
    .action(async (options: JsonOption) => {
      const credentials = requireCredentials(context);
      const { existsSync } = await import("node:fs");
      const { scopeStorePath } = await import("../paths");
      if (!existsSync(scopeStorePath(context.paths, "local"))) {
        printResult(context, Boolean(options.json), { adopted: 0, alreadyAdopted: 0 }, () => "nothing to adopt");
        return;
      }
      const { adoptLocalScope } = await import("@cairn/sync/adopt");
      const result = await withScope(context, null, (source) =>
        withScope(context, credentials, (destination) =>
          adoptLocalScope(source, destination, {
            now: context.now,
            queueCap: queueCap(context),
            crashPoint: context.crashAt,
          }),
        ),
      );
      printResult(
        context,
        Boolean(options.json),
        result,
        () => `adopted ${result.adopted} row(s) into ${credentials.user.name}; \`cairn sync now\` sends them`,
      );
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

  for (const [name, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    sync
      .command(name)
      .description(paused ? "Stop sending (writes still queue)" : "Send again after `pause`")
      .option("--json", "print JSON")
      .action(async (options: JsonOption) => {
        const { setSyncPaused } = await import("../local/sync");
        const result = await setSyncPaused(context, paused);
        printResult(context, Boolean(options.json), result, () => (paused ? "sync paused" : "sync resumed"));
      });
  }

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

  registerDaemonCommands(sync, context);
}
