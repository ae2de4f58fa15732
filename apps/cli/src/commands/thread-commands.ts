import { threadKey } from "@cairn/core/mutations/thread-key";
import { nameToId } from "@cairn/core/slug";
import type { Command } from "commander";
import { type CliContext, credentialsOf, textInput, withScope } from "../cli-context";
import { detectProject } from "../detect-project";
import { writeThenPush } from "../inline-push";
import { localSink } from "../local/local-writer";
import { printResult } from "../output";
import {
  type AttributionOptions,
  attributionInput,
  type ProjectOptions,
  projectOf,
  withAttributionOptions,
} from "../project-options";
import { intOption } from "./options";

/**
 * `cairn thread new|push|list|show|rm`: thin adapters over the thread operations on the local store.
 * Operations are imported inside the actions: a command initialises only the schemas it uses.
 */
export function registerThreadCommands(program: Command, context: CliContext): void {
  const thread = program.command("thread").description("Threads of verbatim entries");

  thread
    .command("push")
    .description("Append an entry to a thread (text from the arguments or stdin)")
    .argument("[text...]", "the entry text")
    .option("--thread <name>", "thread name (default: .cairn.toml, else the git branch, else main)")
    .option("--project <name>", "project (default: detected)")
    .option("--author <name>", "author recorded on the entry")
    .option("--json", "print JSON")
    .action(async (words: string[], options: ProjectOptions & { thread?: string; author?: string }) => {
      const { pushEntryHere } = await import("../local/entries");
      const written = await pushEntryHere(context, {
        content: await textInput(context, words),
        thread: options.thread,
        project: options.project,
        author: options.author,
      });
      const result = {
        id: written.id,
        thread: written.thread,
        project: written.project,
        session: written.session,
        synced: written.synced,
      };
      printResult(
        context,
        Boolean(options.json),
        result,
        () => `${result.synced ? "synced" : "queued"} ${result.project}/${result.thread} ${result.id}`,
      );
    });

  thread
    .command("new")
    .description("Create an empty thread")
    .argument("<name>", "thread name")
    .option("--project <name>", "project (default: detected)")
    .option("--json", "print JSON")
    .action(async (name: string, options: ProjectOptions) => {
      const { createThread } = await import("@cairn/core/operations/create-thread");
      const result = await writeThenPush(
        context,
        (local) =>
          createThread(
            { sink: localSink(context, local), now: context.now },
            { project: projectOf(context, options), thread: nameToId(name), name },
          ),
        (created) => threadKey(created.project, created.thread),
      );
      printResult(context, Boolean(options.json), result, () => `thread ${result.project}/${result.thread}`);
    });

  withAttributionOptions(
    thread
      .command("list")
      .description("List threads, newest activity first (with --session/--since/--until: those with entries in it)"),
  )
    .option("--limit <n>", "page size", intOption, 50)
    .option("--offset <n>", "skip this many", intOption, 0)
    .option("--json", "print JSON")
    .action(async (options: AttributionOptions & { limit: number; offset: number }) => {
      const { listThreads } = await import("@cairn/core/operations/list-threads");
      await withScope(context, credentialsOf(context), async (local) => {
        const page = await listThreads(
          { store: local.user, now: context.now },
          {
            ...attributionInput(context, options),
            limit: options.limit,
            offset: options.offset,
          },
        );
        printResult(context, Boolean(options.json), page, () =>
          page.threads.length === 0
            ? "no threads"
            : page.threads
                .map(
                  (item) =>
                    `${item.projectId}/${item.id}  ${item.entryCount} entries  ${item.lastEntryAt ?? item.updatedAt}`,
                )
                .join("\n"),
        );
      });
    });

  thread
    .command("show")
    .description("Show a thread's entries, oldest first")
    .argument("<name>", "thread name")
    .option("--project <name>", "project (default: detected, else the only project with this thread)")
    .option("--limit <n>", "page size", intOption, 100)
    .option("--offset <n>", "skip this many", intOption, 0)
    .option("--json", "print JSON")
    .action(async (name: string, options: ProjectOptions & { limit: number; offset: number }) => {
      const { getThread } = await import("@cairn/core/operations/get-thread");
      await withScope(context, credentialsOf(context), async (local) => {
        const found = await getThread(
          { store: local.user },
          {
            thread: nameToId(name),
            limit: options.limit,
            offset: options.offset,
            // Given, the project is strict; detected, it is only preferred.
            ...(options.project
              ? { project: nameToId(options.project) }
              : { preferredProject: detectProject(context.cwd).project }),
          },
        );
        const unsynced = local.outbox.unsynced(found.entries.map((entry) => entry.id));
        const result = {
          thread: found.thread,
          entries: found.entries.map((entry) => ({ ...entry, synced: !unsynced.has(entry.id) })),
          total: found.total,
        };
        printResult(context, Boolean(options.json), result, () =>
          [
            `${found.thread.projectId}/${found.thread.id} (${found.total} entries)`,
            ...result.entries.map(
              (entry) =>
                `\n[${entry.createdAt}] ${entry.author || "-"}${entry.synced ? "" : " (queued)"}\n${entry.content}`,
            ),
          ].join("\n"),
        );
      });
    });

  thread
    .command("rm")
    .description("Delete a thread (soft: it syncs as a tombstone)")
    .argument("<name>", "thread name")
    .option("--project <name>", "project (default: detected)")
    .option("--json", "print JSON")
    .action(async (name: string, options: ProjectOptions) => {
      const { deleteThread } = await import("@cairn/core/operations/delete-thread");
      const result = await writeThenPush(
        context,
        (local) =>
          deleteThread(
            { store: local.user, sink: localSink(context, local), now: context.now },
            {
              thread: nameToId(name),
              project: projectOf(context, options),
            },
          ),
        (deleted) => threadKey(deleted.project, deleted.thread),
      );
      printResult(context, Boolean(options.json), result, () => `deleted ${result.project}/${result.thread}`);
    });
}
