import type { Command } from "commander";
import { type CliContext, credentialsOf, requireCredentials, syncClientFor, withScope } from "../cli-context";
import { printResult } from "../output";
import { type AttributionOptions, attributionInput, withAttributionOptions } from "../project-options";
import { intOption } from "./options";

interface SearchOptions extends AttributionOptions {
  limit: number;
  cursor: number;
  type?: string;
  remote?: boolean;
}

type Hit = {
  type: string;
  id: string;
  snippet: string;
  project: string | null;
  thread?: string | undefined;
  title?: string | undefined;
};

function hitLine(hit: Hit): string {
  const where =
    hit.type === "entry" ? `${hit.project}/${hit.thread}` : `${hit.type}${hit.project ? ` ${hit.project}` : ""}`;
  return `${where} ${hit.id}\n  ${hit.snippet.replace(/<\/?mark>/g, "*")}`;
}

/** `cairn search [--] QUERY`: unified search (entries, memories, tasks) in the local store, or the server's with --remote. */
export function registerSearchCommand(program: Command, context: CliContext): void {
  withAttributionOptions(
    program.command("search").description("Search entries, memories and tasks (local store; --remote asks the server)"),
  )
    .argument("<query...>", "words to find (put -- before a query that starts with -)")
    .option("--type <types>", "entry, memory or task (comma-separated; default all)")
    .option("--limit <n>", "results", intOption, 10)
    .option("--cursor <n>", "the nextCursor of the previous page", intOption, 0)
    .option("--remote", "search on the server instead of the local store")
    .option("--json", "print JSON")
    .action(async (words: string[], options: SearchOptions) => {
      const filters = attributionInput(context, options);
      const input = {
        q: words.join(" "),
        limit: Math.max(1, Math.min(options.limit, 100)),
        cursor: options.cursor,
        ...(options.type ? { type: options.type } : {}),
        ...filters,
      };
      let result: { hits: Hit[]; nextCursor: number | null; size: { chars: number; tokens: number } };
      if (options.remote) {
        const client = await syncClientFor(context, requireCredentials(context));
        const { api } = await import("@cairn/core/wire/api");
        result = await client.call(api.search, { query: input });
      } else {
        const { search } = await import("@cairn/core/operations/search");
        result = await withScope(context, credentialsOf(context), (local) =>
          search({ store: local.user, now: context.now }, input),
        );
      }
      printResult(context, Boolean(options.json), result, () =>
        result.hits.length === 0
          ? "no matches"
          : [
              ...result.hits.map(hitLine),
              ...(result.nextCursor !== null ? [`(more: --cursor ${result.nextCursor})`] : []),
            ].join("\n"),
      );
    });
}
