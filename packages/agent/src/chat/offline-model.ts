import { createHash } from "node:crypto";
import type {
  LanguageModelV3,
  LanguageModelV3GenerateResult,
  LanguageModelV3Message,
  LanguageModelV3Prompt,
  LanguageModelV3ToolResultPart,
} from "@ai-sdk/provider";
import { inProcessModel, noUsage } from "./model-stream";
import { type Intent, parseCommand } from "./offline-intents";
import { describeResult, type TaskLike } from "./offline-replies";

/**
 * The built-in offline model (SPEC section 5): used when no provider is
 * configured. It reads the conversation the agent sends it like any model,
 * turns the user's plain request into the same tool calls a real model
 * would make, and answers from the tools' results, never claiming what a
 * tool did not do. Tool call ids hash the turn (the id of the user message,
 * which the chat turn passes as `providerOptions.cairn.turn`) and the
 * conversation so far: unique to each call, so a second "add buy bread"
 * adds a second task, and the same for a retry of the same turn, so the
 * tools' per-call idempotency makes the retry run nothing twice.
 */
export function offlineModel(): LanguageModelV3 {
  return inProcessModel("cairn-offline", async (options) => {
    const turn = (options.providerOptions?.cairn as { turn?: unknown } | undefined)?.turn;
    return new OfflineReply(options.prompt, typeof turn === "string" ? turn : "").answer();
  });
}

function text(value: string): LanguageModelV3GenerateResult {
  return {
    content: [{ type: "text", text: value }],
    finishReason: { unified: "stop", raw: "stop" },
    usage: noUsage,
    warnings: [],
  };
}

function userText(message: LanguageModelV3Message | undefined): string | null {
  if (message?.role !== "user") return null;
  return message.content.map((part) => (part.type === "text" ? part.text : "")).join("");
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

function whichOne(tasks: TaskLike[]): string {
  return `Which one do you mean?\n${tasks.map((task, index) => `${index + 1}. ${task.title} (${task.status})`).join("\n")}`;
}

/** One answer of the offline model to one prompt, within one turn. */
class OfflineReply {
  constructor(
    private readonly prompt: LanguageModelV3Prompt,
    private readonly turn: string,
  ) {}

  answer(): LanguageModelV3GenerateResult {
    const last = this.prompt[this.prompt.length - 1];
    if (last?.role === "tool") {
      const said = this.lastUserText() ?? "";
      const results = last.content.filter((part) => part.type === "tool-result");
      return text(results.map((part) => describeResult(part.toolName, part.output, parseCommand(said))).join("\n\n"));
    }
    const said = userText(last);
    if (said === null) return text("I can't do that offline.");
    return this.run(parseCommand(said));
  }

  private run(intent: Intent): LanguageModelV3GenerateResult {
    switch (intent.kind) {
      case "answer":
        return text(intent.text);
      case "tool":
        return this.toolCall(intent.tool, intent.input);
      case "pronoun":
        return this.resolvePronoun(intent);
      case "pick":
        return this.resolvePick(intent);
      case "confirm": {
        const pending = this.pendingConfirmation();
        return pending
          ? this.toolCall(pending.tool, { confirmation_id: pending.id })
          : text("Nothing is waiting for your confirmation.");
      }
      case "cancel":
        return text(this.pendingConfirmation() ? "Cancelled: nothing was changed." : "OK, nothing to do.");
    }
  }

  private callId(): string {
    const hash = createHash("sha256")
      .update(this.turn)
      .update(JSON.stringify(this.prompt.filter((message) => message.role !== "system")));
    return `offline_${hash.digest("hex").slice(0, 24)}`;
  }

  private toolCall(tool: string, input: unknown): LanguageModelV3GenerateResult {
    return {
      content: [{ type: "tool-call", toolCallId: this.callId(), toolName: tool, input: JSON.stringify(input) }],
      finishReason: { unified: "tool-calls", raw: "tool_calls" },
      usage: noUsage,
      warnings: [],
    };
  }

  private lastUserText(): string | null {
    for (let index = this.prompt.length - 1; index >= 0; index--) {
      const said = userText(this.prompt[index]);
      if (said !== null) return said;
    }
    return null;
  }

  /** Tool results in the prompt, newest first. */
  private resultsNewestFirst(): { part: LanguageModelV3ToolResultPart; value: unknown }[] {
    const found: { part: LanguageModelV3ToolResultPart; value: unknown }[] = [];
    for (let index = this.prompt.length - 1; index >= 0; index--) {
      const message = this.prompt[index];
      if (message?.role !== "tool") continue;
      for (const part of [...message.content].reverse()) {
        if (part.type !== "tool-result") continue;
        found.push({ part, value: part.output.type === "json" ? part.output.value : null });
      }
    }
    return found;
  }

  /** The tasks the last tool result that named any was about ("it" refers to them). */
  private lastMentionedTasks(): TaskLike[] {
    for (const { value } of this.resultsNewestFirst()) {
      const result = record(value);
      if (result.task) return [result.task as TaskLike];
      for (const key of ["matches", "would_change", "tasks"]) {
        const list = result[key];
        if (Array.isArray(list) && list.length > 0) return list as TaskLike[];
      }
    }
    return [];
  }

  /** The newest confirmation still waiting (not already used by a later call). */
  private pendingConfirmation(): { tool: string; id: string } | null {
    const used = new Set<string>();
    for (const message of this.prompt) {
      if (message.role !== "assistant") continue;
      for (const part of message.content) {
        if (part.type === "tool-call") {
          const id = record(part.input).confirmation_id;
          if (typeof id === "string") used.add(id);
        }
      }
    }
    for (const { part, value } of this.resultsNewestFirst()) {
      const result = record(value);
      if (result.status === "needs_confirmation" && typeof result.confirmation_id === "string") {
        return used.has(result.confirmation_id) ? null : { tool: part.toolName, id: result.confirmation_id };
      }
    }
    return null;
  }

  /** A pronoun's tool call, or the question that asks which task it meant. */
  private resolvePronoun(intent: { tool: string; input: Record<string, unknown> }): LanguageModelV3GenerateResult {
    const tasks = this.lastMentionedTasks();
    const [only] = tasks;
    if (tasks.length === 1 && only) return this.toolCall(intent.tool, { ...intent.input, task: only.id });
    if (tasks.length === 0) return text('I don\'t know which task you mean. Name it, for example "delete buy milk".');
    return text(whichOne(tasks));
  }

  /**
   * "the second one": that task of the last list shown, for this request's command ("complete
   * the first one") or the previous request's ("delete milk" → two match → "the second one").
   */
  private resolvePick(intent: Extract<Intent, { kind: "pick" }>): LanguageModelV3GenerateResult {
    const tasks = this.lastMentionedTasks();
    const chosen = intent.index === -1 ? tasks[tasks.length - 1] : tasks[intent.index - 1];
    let command: { tool: string; input: Record<string, unknown> } | null = null;
    if (intent.tool) command = { tool: intent.tool, input: intent.input ?? {} };
    else {
      const users = this.prompt.filter((message) => message.role === "user");
      const previous = userText(users[users.length - 2]);
      const before = previous === null ? null : parseCommand(previous);
      if (before && (before.kind === "pronoun" || (before.kind === "tool" && "task" in before.input))) {
        command = { tool: before.tool, input: before.input };
      }
    }
    if (!command || !chosen) return text("I don't have a list to pick from. Name the task instead.");
    return this.toolCall(command.tool, { ...command.input, task: chosen.id });
  }
}
