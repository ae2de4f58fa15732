import { nameToId } from "@cairn/core/slug";
import type { Command } from "commander";
import { type CliContext, requireCredentials, syncClientFor, textInput } from "../cli-context";
import { printResult } from "../output";

export interface OracleReply {
  answer: string;
  citations: { ref: string; snippet: string; score: number; author: string | null; createdAt: string }[];
  abstained: boolean;
}

/** Asks the server's oracle (`cairn ask`, and the MCP tool `ask_oracle`). */
export async function askServer(
  context: CliContext,
  input: { question: string; project?: string | undefined },
): Promise<OracleReply> {
  const client = await syncClientFor(context, requireCredentials(context));
  return (await client.post("/api/oracle/ask", {
    question: input.question,
    ...(input.project ? { project: nameToId(input.project) } : {}),
  })) as OracleReply;
}

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
