import type { TrashType } from "@cairn/core/store/store-types";
import type { Command } from "commander";
import { type CliContext, credentialsOf, withScope } from "../cli-context";
import { writeThenPush } from "../inline-push";
import { localSink, localWriter } from "../local/local-writer";
import { printResult } from "../output";
import { type ProjectOptions, projectFilter } from "../project-options";
import { intOption } from "./options";

type TrashOptions = ProjectOptions & { type?: string };

/** `cairn trash list|restore|purge` and `cairn entry rm`. */
export function registerTrashCommands(program: Command, context: CliContext): void {
  const trash = program.command("trash").description("Deleted threads, entries and memories (kept 30 days)");

  trash
    .command("list")
    .description("What is in the trash, newest first")
    .option("--project <name>", "project (default: every project)")
    .option("--limit <n>", "page size", intOption, 50)
    .option("--offset <n>", "skip this many", intOption, 0)
    .option("--json", "print JSON")
    .action(async (options: ProjectOptions & { limit: number; offset: number }) => {
      const { listTrash } = await import("@cairn/core/operations/trash");
      await withScope(context, credentialsOf(context), async (local) => {
        const page = await listTrash(
          { store: local.user },
          {
            ...(options.project ? projectFilter(context, options) : {}),
            limit: options.limit,
            offset: options.offset,
          },
        );
        printResult(context, Boolean(options.json), page, () =>
          page.items.length === 0
            ? "the trash is empty"
            : page.items
                .map((item) => `${item.type} ${item.id} ${item.projectId} deleted ${item.deletedAt}\n  ${item.preview}`)
                .join("\n"),
        );
      });
    });

  for (const action of ["restore", "purge"] as const) {
    trash
      .command(action)
      .description(action === "restore" ? "Take a row out of the trash" : "Delete a row of the trash for good")
      .argument("<id>", "the id (a thread's name for a thread)")
      .option("--type <type>", "entry|thread|memory|task (when the id alone is ambiguous)")
      .option("--project <name>", "its project (when the id is in several)")
      .option("--json", "print JSON")
      .action(async (id: string, options: TrashOptions) => {
        const operations = await import("@cairn/core/operations/trash");
        const result = await writeThenPush(
          context,
          async (local) => {
            const input = {
              id,
              ...(options.type ? { type: options.type as TrashType } : {}),
              ...(options.project ? projectFilter(context, options) : {}),
            };
            return action === "restore"
              ? operations.restoreFromTrash(localWriter(context, local), input)
              : operations.purgeFromTrash({ store: local.user, sink: localSink(context, local) }, input);
          },
          (done) => done.id,
        );
        printResult(
          context,
          Boolean(options.json),
          result,
          () => `${action === "restore" ? "restored" : "purged"} ${result.type} ${result.id}`,
        );
      });
  }

  const entry = program.command("entry").description("Single entries");
  entry
    .command("rm")
    .description("Move one entry to the trash")
    .argument("<id>")
    .option("--json", "print JSON")
    .action(async (id: string, options: { json?: boolean }) => {
      const { deleteEntry } = await import("@cairn/core/operations/trash");
      const result = await writeThenPush(
        context,
        (local) => deleteEntry({ store: local.user, sink: localSink(context, local), now: context.now }, id),
        (deleted) => deleted.id,
      );
      printResult(context, Boolean(options.json), result, () => `deleted entry ${id} (in the trash for 30 days)`);
    });
}
