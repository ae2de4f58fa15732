import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { printResult } from "../output";
import { databaseOptions, withAccounts } from "./admin-database";

interface JobsOptions {
  data?: string;
  databaseUrl?: string;
  json?: boolean;
  status?: string;
  kind?: string;
  limit?: string;
  retry?: string;
}

/** `cairn admin jobs`: the durable job table's totals and its most recently changed jobs. */
export function registerAdminJobsCommand(admin: Command, context: CliContext): void {
  databaseOptions(
    admin
      .command("jobs")
      .description("Background jobs: totals by status and the latest jobs (embeddings, deliveries, upkeep)")
      .option("--status <status>", "queued|running|done|dead")
      .option("--kind <kind>", "one kind, e.g. embeddings.user")
      .option("--limit <n>", "jobs to show (default 20)")
      .option("--retry <id>", "queue a dead job again with fresh attempts (once what killed it is fixed)"),
  ).action(async (options: JobsOptions) => {
    const { listJobs, retryJob } = await import("@cairn/core/operations/jobs");
    if (options.retry) {
      const id = options.retry;
      const retried = await withAccounts(context, options, ({ store }) =>
        retryJob({ jobs: store.system, now: context.now }, id),
      );
      printResult(
        context,
        Boolean(options.json),
        retried,
        () => `${retried.job.id}  ${retried.job.kind}  queued again`,
      );
      return;
    }
    const result = await withAccounts(context, options, ({ store }) =>
      listJobs(
        { jobs: store.system, now: context.now },
        {
          ...(options.status ? { status: options.status as "queued" } : {}),
          ...(options.kind ? { kind: options.kind } : {}),
          ...(options.limit ? { limit: options.limit } : {}),
        },
      ),
    );
    printResult(context, Boolean(options.json), result, () => {
      const { summary } = result;
      const lines = [
        `queued ${summary.queued} · running ${summary.running} · done ${summary.done} · dead ${summary.dead}` +
          (summary.oldestDueSeconds > 0 ? ` · oldest due ${summary.oldestDueSeconds}s ago` : ""),
      ];
      for (const job of result.jobs) {
        const error = job.lastError ? `  ${job.lastError.slice(0, 80)}` : "";
        lines.push(
          `${job.id}  ${job.kind.padEnd(22)} ${job.status.padEnd(7)} attempt ${job.attempts}/${job.maxAttempts}  ${job.updatedAt}${error}`,
        );
      }
      return lines.join("\n");
    });
  });
}
