import { AppError, type ErrorCode, errorCodes } from "@cairn/core/app-error";
import type { Command } from "commander";
import { type ChatAnswer, type ChatEvent, streamChatTurn } from "../chat/chat-stream";
import { currentConversation, rememberConversation } from "../chat/current-conversation";
import { type CliContext, requireCredentials } from "../cli-context";
import { scopeKey } from "../credentials";
import { detectProject } from "../detect-project";
import { pullAfterServerChange } from "../inline-push";

interface ChatOptions {
  conversation?: string;
  new?: boolean;
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

/** The turn's last tool call when it failed: a one-shot chat then exits 1, whatever the answer says. */
function failedCall(answer: ChatAnswer): AppError | null {
  const last = answer.tool_calls.at(-1);
  if (!last || last.success) return null;
  const error = (last.result as { error?: { code?: string; message?: string } } | null)?.error;
  const code = error?.code && Object.hasOwn(errorCodes, error.code) ? (error.code as ErrorCode) : "internal";
  return new AppError(code, `${last.tool_name} failed: ${error?.message ?? "the tool failed"}`);
}

/**
 * `cairn chat "…"` (one turn) or `cairn chat` (a session in the terminal), against the server's
 * agent. One-shot turns in a project continue its conversation while it is active (30 minutes),
 * so "yes" answers what the previous turn asked; `--new` starts another.
 */
export function registerChatCommand(program: Command, context: CliContext): void {
  program
    .command("chat")
    .description("Talk to the server's agent about your tasks and memory (one turn, or a session)")
    .argument("[message...]", "the message; without one, an interactive session (or stdin)")
    .option("--conversation <id>", "continue this conversation")
    .option("--new", "start a new conversation (else a turn continues this project's, if active in the last 30 min)")
    .option("--json", "print the turn's answer as JSON")
    .action(async (words: string[], options: ChatOptions) => {
      const credentials = requireCredentials(context);
      const scope = scopeKey(credentials);
      const project = detectProject(context.cwd).project;
      let conversation =
        options.conversation ??
        (options.new ? undefined : (currentConversation(context.paths, scope, project, context.now()) ?? undefined));
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
        rememberConversation(context.paths, scope, project, conversation, context.now());
        if (options.json) context.stdout(`${JSON.stringify(answer)}\n`);
        else context.stdout(printed.text ? "\n" : `${answer.assistant_message}\n`);
        // What the agent's tools changed shows here now, not only after `cairn sync now`.
        if (answer.tool_calls.some((call) => call.success)) await pullAfterServerChange(context);
        return answer;
      };

      const given = words.join(" ").trim();
      const piped = given ? null : await context.readStdin(); // null on a terminal
      const oneShot = given || piped?.trim();
      if (oneShot) {
        const answer = await turn(oneShot);
        if (!options.json) {
          context.stderr(
            `(conversation ${answer.conversation_id}: continued here for 30 minutes; --new starts another)\n`,
          );
        }
        const failure = failedCall(answer);
        if (failure) throw failure;
        return;
      }
      if (piped !== null) return;
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
