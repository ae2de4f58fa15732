import type { Command } from "commander";
import { type ChatAnswer, type ChatEvent, streamChatTurn } from "../chat/chat-stream";
import { type CliContext, requireCredentials } from "../cli-context";

interface ChatOptions {
  conversation?: string;
  json?: boolean;
}

function compact(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? "";
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Shows a turn as it happens: tool calls and results on stderr, the answer's text on stdout. */
function showEvent(context: CliContext, event: ChatEvent, printed: { text: boolean }) {
  const data = event.data;
  if (event.event === "tool_call") {
    context.stderr(`→ ${String(data.tool_name)} ${compact(data.parameters)}\n`);
  } else if (event.event === "tool_result") {
    context.stderr(`${data.success ? "←" : "✗"} ${String(data.tool_name)} ${compact(data.result)}\n`);
  } else if (event.event === "text") {
    context.stdout(String(data.delta));
    printed.text = true;
  }
}

/** `cairn chat "…"` (one turn) or `cairn chat` (a session in the terminal), against the server's agent. */
export function registerChatCommand(program: Command, context: CliContext): void {
  program
    .command("chat")
    .description("Talk to the server's agent about your tasks and memory (one turn, or a session)")
    .argument("[message...]", "the message; without one, an interactive session (or stdin)")
    .option("--conversation <id>", "continue this conversation")
    .option("--json", "print the turn's answer as JSON")
    .action(async (words: string[], options: ChatOptions) => {
      const credentials = requireCredentials(context);
      let conversation = options.conversation;
      const turn = async (message: string): Promise<ChatAnswer> => {
        const printed = { text: false };
        const answer = await streamChatTurn({
          server: credentials.server,
          token: credentials.token,
          body: {
            message,
            client_message_id: context.newId(),
            ...(conversation ? { conversation_id: conversation } : {}),
          },
          onEvent: (event) => {
            if (!options.json) showEvent(context, event, printed);
          },
        });
        conversation = answer.conversation_id;
        if (options.json) context.stdout(`${JSON.stringify(answer)}\n`);
        else context.stdout(printed.text ? "\n" : `${answer.assistant_message}\n`);
        return answer;
      };

      const given = words.join(" ").trim();
      if (given) {
        await turn(given);
        return;
      }
      const piped = await context.readStdin(); // null on a terminal
      if (piped !== null) {
        if (piped.trim()) await turn(piped.trim());
        return;
      }
      // An interactive session: one turn per line, until /exit or end of input.
      const { createInterface } = await import("node:readline/promises");
      const terminal = createInterface({ input: process.stdin, output: process.stdout });
      context.stderr(
        `Chatting with ${credentials.server}${conversation ? ` (conversation ${conversation})` : ""}. /exit to leave.\n`,
      );
      try {
        for (;;) {
          let line: string;
          try {
            line = (await terminal.question("you> ")).trim();
          } catch {
            break; // end of input
          }
          if (line === "/exit" || line === "/quit") break;
          if (!line) continue;
          try {
            await turn(line);
          } catch (error) {
            context.stderr(`cairn: ${(error as Error).message}\n`);
          }
        }
      } finally {
        terminal.close();
        if (conversation) context.stderr(`Resume with: cairn chat --conversation ${conversation}\n`);
      }
    });
}
