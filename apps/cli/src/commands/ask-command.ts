import type { Command } from "commander";
import { type CliContext, textInput } from "../cli-context";
import { printResult } from "../output";

/** `cairn ask "…"`: an answer from memory with its citations, or "nothing in memory about that". */
export function registerAskCommand(program: Command, context: CliContext): void {
  program
    .command("ask")
    .description("Ask the oracle: an answer from your memory, citing the entries and memories it comes from")
    .argument("[question...]", "the question (or on stdin)")
    .option("--project <name>", "only this project (default: every project)")
    .option("--json", "print JSON")
    .action(async (words: string[], options: { project?: string; json?: boolean }) => {
      const question = (await textInput(context, words)).trim();
      const { askServer } = await import("../local/server-requests");
      const reply = await askServer(context, { question, project: options.project });
      printResult(context, Boolean(options.json), reply, () =>
        [
          reply.answer,
          ...reply.citations.map(
            (citation, index) =>
              `  [${index + 1}] ${citation.ref} ${citation.createdAt.slice(0, 10)}: ${citation.snippet}`,
          ),
        ].join("\n"),
      );
    });
}
