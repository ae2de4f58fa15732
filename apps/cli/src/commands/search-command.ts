import type { Command } from "commander";
import { type CliContext, credentialsOf, requireCredentials, syncClientFor, withScope } from "../cli-context";
import { printResult } from "../output";
import { type AttributionOptions, attributionInput, withAttributionOptions } from "../project-options";
import { intOption } from "./options";

interface SearchOptions extends AttributionOptions {
  limit: number;
  remote?: boolean;
}

/** `cairn search [--] QUERY`: BM25 over the local store, or the server's with --remote. */
export function registerSearchCommand(program: Command, context: CliContext): void {
  withAttributionOptions(
    program.command("search").description("Search entries (local store; --remote asks the server)"),
  )
    .argument("<query...>", "words to find (put -- before a query that starts with -)")
    .option("--limit <n>", "results", intOption, 20)
    .option("--remote", "search on the server instead of the local store")
    .option("--json", "print JSON")
    .action(async (words: string[], options: SearchOptions) => {
      const q = words.join(" ");
      const filters = attributionInput(context, options);
      const input = { q, limit: Math.max(1, Math.min(options.limit, 100)), ...filters };
      let hits: { type: string; id: string; snippet: string; score: number; project: string; threadId?: string }[];
      if (options.remote) {
        const credentials = requireCredentials(context);
        const client = await syncClientFor(context, credentials);
        const query = new URLSearchParams({ q: input.q, limit: String(input.limit), ...filters });
        hits = ((await client.get(`/api/search?${query}`)) as { hits: typeof hits }).hits;
      } else {
        const { searchEntries } = await import("@cairn/core/operations/search-entries");
        hits = await withScope(
          context,
          credentialsOf(context),
          async (local) => (await searchEntries({ store: local.store, now: context.now }, local.userId, input)).hits,
        );
      }
      printResult(context, Boolean(options.json), { hits }, () =>
        hits.length === 0
          ? "no matches"
          : hits
              .map(
                (hit) => `${hit.project}/${hit.threadId ?? "?"} ${hit.id}\n  ${hit.snippet.replace(/<\/?mark>/g, "*")}`,
              )
              .join("\n"),
      );
    });
}
