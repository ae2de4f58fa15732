import { AppError } from "@cairn/core/app-error";
import type { Memory } from "@cairn/core/entities";
import type { Command } from "commander";
import { type CliContext, credentialsOf, textInput, withScope } from "../cli-context";
import { confirm } from "../confirm";
import { writeThenPush } from "../inline-push";
import { localWriter } from "../local/local-writer";
import { printResult } from "../output";
import { type AttributionOptions, attributionInput, projectOf, withAttributionOptions } from "../project-options";
import { intOption } from "./options";

type JsonOption = { json?: boolean };

function tagList(value: string | undefined): string[] | undefined {
  return value === undefined
    ? undefined
    : value
        .split(",")
        .map((tag) => tag.trim())
        .filter(Boolean);
}

function memoryLine(memory: Memory): string {
  const tags = memory.tags.length > 0 ? ` [${memory.tags.join(", ")}]` : "";
  const text = memory.content.length > 100 ? `${memory.content.slice(0, 100)}…` : memory.content;
  return `${memory.id} ${memory.projectId} ${memory.kind}${tags}\n  ${text.replace(/\n/g, " ")}`;
}

/** Public view of a memory (the CLI contract: id, content, kind, project, session, …). */
function view(memory: Memory) {
  return {
    id: memory.id,
    content: memory.content,
    kind: memory.kind,
    project: memory.projectId,
    session: memory.sessionId,
    tags: memory.tags,
    version: memory.version,
    createdAt: memory.createdAt,
    updatedAt: memory.updatedAt,
    deletedAt: memory.deletedAt,
  };
}

/** `cairn remember` and `cairn memory list|search|show|update|forget|restore`. */
export function registerMemoryCommands(program: Command, context: CliContext): void {
  program
    .command("remember")
    .description("Store a memory (text from the arguments or stdin)")
    .argument("[text...]", "what to remember")
    .option("--project <name>", "project (default: detected)")
    .option("--kind <kind>", "note|fact|decision|preference|summary", "note")
    .option("--tags <tags>", "comma-separated tags")
    .option("--json", "print JSON")
    .action(async (words: string[], options: JsonOption & { project?: string; kind: string; tags?: string }) => {
      const { rememberHere } = await import("../local/memories");
      const written = await rememberHere(context, {
        project: projectOf(context, options),
        content: await textInput(context, words),
        kind: options.kind as Memory["kind"],
        tags: tagList(options.tags) ?? [],
      });
      const result = {
        id: written.id,
        project: written.projectId,
        session: written.sessionId,
        kind: written.kind,
        synced: written.synced,
      };
      printResult(
        context,
        Boolean(options.json),
        result,
        () => `${result.synced ? "synced" : "queued"} memory ${result.id}`,
      );
    });

  const memory = program.command("memory").description("Memories: notes, facts, decisions, preferences, summaries");

  withAttributionOptions(memory.command("list").description("List memories, newest first"))
    .option("--kind <kind>", "only this kind")
    .option("--tag <tag>", "only with this tag")
    .option("--limit <n>", "page size", intOption, 50)
    .option("--offset <n>", "skip this many", intOption, 0)
    .option("--json", "print JSON")
    .action(async (options: AttributionOptions & { kind?: string; tag?: string; limit: number; offset: number }) => {
      const { listMemories } = await import("@cairn/core/operations/memories");
      await withScope(context, credentialsOf(context), async (local) => {
        const page = await listMemories(
          { store: local.user, now: context.now },
          {
            ...attributionInput(context, options),
            ...(options.kind ? { kind: options.kind as Memory["kind"] } : {}),
            ...(options.tag ? { tag: options.tag } : {}),
            limit: options.limit,
            offset: options.offset,
          },
        );
        const result = { memories: page.memories.map(view), total: page.total };
        printResult(context, Boolean(options.json), result, () =>
          page.memories.length === 0 ? "no memories" : page.memories.map(memoryLine).join("\n"),
        );
      });
    });

  withAttributionOptions(memory.command("search").description("Search memories (BM25, with snippets)"))
    .argument("<query...>", "words to find")
    .option("--limit <n>", "results", intOption, 20)
    .option("--json", "print JSON")
    .action(async (words: string[], options: AttributionOptions & { limit: number }) => {
      const { searchMemories } = await import("@cairn/core/operations/memories");
      await withScope(context, credentialsOf(context), async (local) => {
        const result = await searchMemories(
          { store: local.user, now: context.now },
          {
            ...attributionInput(context, options),
            q: words.join(" "),
            limit: Math.max(1, Math.min(options.limit, 100)),
          },
        );
        printResult(context, Boolean(options.json), result, () =>
          result.hits.length === 0
            ? "no matches"
            : result.hits
                .map((hit) => `${hit.id} ${hit.project} ${hit.kind}\n  ${hit.snippet.replace(/<\/?mark>/g, "*")}`)
                .join("\n"),
        );
      });
    });

  memory
    .command("show")
    .description("Show one memory")
    .argument("<id>")
    .option("--json", "print JSON")
    .action(async (id: string, options: JsonOption) => {
      const { getMemory } = await import("@cairn/core/operations/memories");
      await withScope(context, credentialsOf(context), async (local) => {
        const found = view(await getMemory({ store: local.user }, id));
        const synced = !local.outbox.unsynced([id]).has(id);
        printResult(context, Boolean(options.json), { memory: { ...found, synced } }, () =>
          [
            `${found.id} ${found.project} ${found.kind} v${found.version}${synced ? "" : " (queued)"}`,
            found.content,
          ].join("\n"),
        );
      });
    });

  memory
    .command("update")
    .description("Edit a memory (a new version; the higher version wins everywhere)")
    .argument("<id>")
    .argument("[text...]", "the new text (or stdin); omit to change only --kind/--tags")
    .option("--kind <kind>", "note|fact|decision|preference|summary")
    .option("--tags <tags>", "comma-separated tags (replaces them)")
    .option("--json", "print JSON")
    .action(async (id: string, words: string[], options: JsonOption & { kind?: string; tags?: string }) => {
      const { updateMemory } = await import("@cairn/core/operations/memories");
      const content = words.length > 0 ? await textInput(context, words) : undefined;
      const tags = tagList(options.tags);
      if (content === undefined && options.kind === undefined && tags === undefined) {
        throw new AppError("bad_request", "Nothing to change", { hint: "Give new text, --kind or --tags." });
      }
      const written = await writeThenPush(
        context,
        (local) =>
          updateMemory(localWriter(context, local), {
            id,
            ...(content !== undefined ? { content } : {}),
            ...(options.kind ? { kind: options.kind as Memory["kind"] } : {}),
            ...(tags !== undefined ? { tags } : {}),
          }),
        (updated) => updated.id,
      );
      const result = { ...view(written), synced: written.synced };
      printResult(context, Boolean(options.json), result, () => `updated ${result.id} (v${result.version})`);
    });

  withAttributionOptions(
    memory
      .command("forget")
      .description("Move memories to the trash (one by id, or --all that match, after a confirmation)"),
  )
    .argument("[id]", "the memory to forget")
    .option("--all", "every memory the filters match")
    .option("--yes", "do not ask for confirmation")
    .option("--json", "print JSON")
    .action(async (id: string | undefined, options: AttributionOptions & { all?: boolean; yes?: boolean }) => {
      const { forgetMemory, listMemories } = await import("@cairn/core/operations/memories");
      if (!id && !options.all) throw new AppError("bad_request", "Name a memory id, or use --all with filters");
      const credentials = credentialsOf(context);
      const targets = await withScope(context, credentials, async (local) => {
        if (id) return [id];
        const found: string[] = [];
        for (let offset = 0; ; offset += 500) {
          const page = await listMemories(
            { store: local.user, now: context.now },
            {
              ...attributionInput(context, options),
              limit: 500,
              offset,
            },
          );
          found.push(...page.memories.map((item) => item.id));
          if (page.memories.length < 500) return found;
        }
      });
      if (options.all) {
        if (targets.length === 0) {
          printResult(context, Boolean(options.json), { forgotten: [], count: 0 }, () => "nothing matches");
          return;
        }
        const question = `Forget ${targets.length} memories (${targets.slice(0, 5).join(", ")}${targets.length > 5 ? ", …" : ""})?`;
        if (!options.yes && !(await confirm(context, question))) {
          throw new AppError("preflight_refused", `Would forget ${targets.length} memories; nothing was changed`, {
            details: { ids: targets.slice(0, 100), count: targets.length },
            hint: "Run it again with --yes to confirm (they stay in the trash for 30 days).",
          });
        }
      }
      const result = await writeThenPush(
        context,
        async (local) => {
          for (const target of targets) await forgetMemory(localWriter(context, local), target);
          return { forgotten: targets, count: targets.length };
        },
        (done) => done.forgotten.at(-1) ?? "",
      );
      printResult(
        context,
        Boolean(options.json),
        result,
        () => `forgot ${result.count} memor${result.count === 1 ? "y" : "ies"} (in the trash for 30 days)`,
      );
    });

  memory
    .command("restore")
    .description("Take a memory out of the trash")
    .argument("<id>")
    .option("--json", "print JSON")
    .action(async (id: string, options: JsonOption) => {
      const { restoreMemory } = await import("@cairn/core/operations/memories");
      const written = await writeThenPush(
        context,
        (local) => restoreMemory(localWriter(context, local), id),
        (restored) => restored.id,
      );
      printResult(context, Boolean(options.json), { ...view(written), synced: written.synced }, () => `restored ${id}`);
    });
}
