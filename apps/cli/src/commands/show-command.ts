import type { Command } from "commander";
import { type CliContext, credentialsOf, requireCredentials, syncClientFor, withScope } from "../cli-context";
import { printResult } from "../output";

/**
 * `cairn show REF`: the row a citation names (`thread:<thread>#<entry id>` or `memory:<id>`, as
 * `cairn ask` prints them), from the local store, or the server's with --remote. The old short
 * form (the id's first 10 characters) works where one entry has it.
 */
export function registerShowCommand(program: Command, context: CliContext): void {
  program
    .command("show")
    .description("Show the entry or memory a citation names (thread:<thread>#<id> or memory:<id>)")
    .argument("<ref>", "a reference, as `cairn ask` prints it")
    .option("--remote", "read it on the server instead of the local store")
    .option("--json", "print JSON")
    .action(async (ref: string, options: { remote?: boolean; json?: boolean }) => {
      const { resolveRef } = await import("@cairn/core/operations/citation-ref");
      let found: Awaited<ReturnType<typeof resolveRef>>;
      if (options.remote) {
        const client = await syncClientFor(context, requireCredentials(context));
        const { api } = await import("@cairn/core/wire/api");
        found = await client.call(api.resolveRef, { query: { ref } });
      } else {
        found = await withScope(context, credentialsOf(context), (local) => resolveRef(local.user, ref));
      }
      printResult(context, Boolean(options.json), found, () => {
        if (found.type === "memory") {
          const { memory } = found;
          return `${found.ref} (${memory.kind}${memory.projectId ? `, ${memory.projectId}` : ""}, ${memory.updatedAt})\n${memory.content}`;
        }
        const { entry } = found;
        const by = entry.author ? `${entry.author}, ` : "";
        return `${found.ref} (${entry.projectId}/${entry.threadId}, ${by}${entry.createdAt})\n${entry.content}`;
      });
    });
}
