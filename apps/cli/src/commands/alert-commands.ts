import type { Command } from "commander";
import { type CliContext, requireCredentials, syncClientFor } from "../cli-context";
import { printResult } from "../output";
import { intOption } from "./options";

/** `cairn alerts list|ack` and `cairn audit` (they ask the server: alerts and the audit log live there). */
export function registerAlertCommands(program: Command, context: CliContext): void {
  const alerts = program.command("alerts").description("Mass-deletion alerts raised by the server");

  alerts
    .command("list")
    .description("Alerts, newest first (open ones only unless --all)")
    .option("--all", "acknowledged ones too")
    .option("--json", "print JSON")
    .action(async (options: { all?: boolean; json?: boolean }) => {
      const { listAlerts } = await import("../local/server-requests");
      const result = await listAlerts(context, Boolean(options.all));
      printResult(context, Boolean(options.json), result, () =>
        result.alerts.length === 0
          ? "no alerts"
          : result.alerts
              .map(
                (alert) =>
                  `${alert.id} ${alert.severity.toUpperCase()} ${alert.deleteCount} deletes between ${alert.windowStart} and ${alert.windowEnd}` +
                  `${alert.blockedCount > 0 ? `, ${alert.blockedCount} blocked` : ""}${alert.acknowledgedAt ? ` (acknowledged ${alert.acknowledgedAt})` : ""}` +
                  `\n  deleted: ${alert.deletedIds.slice(0, 10).join(", ")}${alert.deletedIds.length > 10 ? ", …" : ""}`,
              )
              .join("\n"),
      );
    });

  alerts
    .command("ack")
    .description("Acknowledge an alert (blocked deletes go through again)")
    .argument("<id>")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const result = await (await import("../local/server-requests")).acknowledgeAlert(context, id);
      printResult(
        context,
        Boolean(options.json),
        result,
        () => `acknowledged ${id}; parked deletes go out with the next sync`,
      );
    });

  program
    .command("audit")
    .description("The audit log: sync batches, deletes, restores, conflicts, recoveries, acknowledgements")
    .option("--since <time>", 'from this time: "2d", "3h" or an ISO date')
    .option("--action <action>", "only this action (delete, restore, conflict, …)")
    .option("--limit <n>", "rows", intOption, 50)
    .option("--json", "print JSON")
    .action(async (options: { since?: string; action?: string; limit: number; json?: boolean }) => {
      const client = await syncClientFor(context, requireCredentials(context));
      const { api } = await import("@cairn/core/wire/api");
      const result = await client.call(api.audit, {
        query: {
          limit: options.limit,
          ...(options.since ? { since: options.since } : {}),
          ...(options.action ? { action: options.action } : {}),
        },
      });
      printResult(context, Boolean(options.json), result, () =>
        result.entries.length === 0
          ? "nothing in the audit log"
          : result.entries
              .map(
                (entry) =>
                  `${entry.at} ${entry.action}${entry.targetType ? ` ${entry.targetType} ${entry.targetId}` : ""}${entry.deviceId ? ` from ${entry.deviceId}` : ""}`,
              )
              .join("\n"),
      );
    });
}
