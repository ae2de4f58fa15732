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
 * turns the user's plain command into the same tool calls a real model
 * would make, and answers from the tools' results. Tool call ids are a hash
 * of the conversation so far: a retried turn calls the same ids, and the
 * tools' per-call idempotency makes the retry run nothing twice.
 */
export function offlineModel(): LanguageModelV3 {
  return inProcessModel("cairn-offline", async (options) => answer(options.prompt));
}

function text(value: string): LanguageModelV3GenerateResult {
  return {
    content: [{ type: "text", text: value }],
    finishReason: { unified: "stop", raw: "stop" },
    usage: noUsage,
    warnings: [],
  };
}

function callId(prompt: LanguageModelV3Prompt): string {
  const hash = createHash("sha256").update(JSON.stringify(prompt.filter((message) => message.role !== "system")));
  return `offline_${hash.digest("hex").slice(0, 24)}`;
}

function toolCall(prompt: LanguageModelV3Prompt, tool: string, input: unknown): LanguageModelV3GenerateResult {
  return {
    content: [{ type: "tool-call", toolCallId: callId(prompt), toolName: tool, input: JSON.stringify(input) }],
    finishReason: { unified: "tool-calls", raw: "tool_calls" },
    usage: noUsage,
    warnings: [],
  };
}

function userText(message: LanguageModelV3Message | undefined): string | null {
  if (message?.role !== "user") return null;
  return message.content.map((part) => (part.type === "text" ? part.text : "")).join("");
}

/** Tool results in the prompt, newest first. */
function resultsNewestFirst(prompt: LanguageModelV3Prompt): { part: LanguageModelV3ToolResultPart; value: unknown }[] {
  const found: { part: LanguageModelV3ToolResultPart; value: unknown }[] = [];
  for (let index = prompt.length - 1; index >= 0; index--) {
    const message = prompt[index];
    if (message?.role !== "tool") continue;
    for (const part of [...message.content].reverse()) {
      if (part.type !== "tool-result") continue;
      found.push({ part, value: part.output.type === "json" ? part.output.value : null });
    }
  }
  return found;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

/** The tasks the last tool result that named any was about ("it" refers to them). */
function lastMentionedTasks(prompt: LanguageModelV3Prompt): TaskLike[] {
  for (const { value } of resultsNewestFirst(prompt)) {
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
function pendingConfirmation(prompt: LanguageModelV3Prompt): { tool: string; id: string } | null {
  const used = new Set<string>();
  for (const message of prompt) {
    if (message.role !== "assistant") continue;
    for (const part of message.content) {
      if (part.type === "tool-call") {
        const id = record(part.input).confirmation_id;
        if (typeof id === "string") used.add(id);
      }
    }
  }
  for (const { part, value } of resultsNewestFirst(prompt)) {
    const result = record(value);
    if (result.status === "needs_confirmation" && typeof result.confirmation_id === "string") {
      return used.has(result.confirmation_id) ? null : { tool: part.toolName, id: result.confirmation_id };
    }
  }
  return null;
}

function whichOne(tasks: TaskLike[]): string {
  return `Which one do you mean?\n${tasks.map((task, index) => `${index + 1}. ${task.title} (${task.status})`).join("\n")}`;
}

/** A pronoun's tool call, or the question that asks which task it meant. */
function resolvePronoun(prompt: LanguageModelV3Prompt, intent: { tool: string; input: Record<string, unknown> }) {
  const tasks = lastMentionedTasks(prompt);
  if (tasks.length === 1) return toolCall(prompt, intent.tool, { ...intent.input, task: tasks[0]?.id });
  if (tasks.length === 0) return text('I don\'t know which task you mean. Name it, for example "delete buy milk".');
  return text(whichOne(tasks));
}

/** "the second one": applies the previous command to that task of the last list of matches. */
function resolvePick(prompt: LanguageModelV3Prompt, index: number) {
  const users = prompt.filter((message) => message.role === "user");
  const previous = userText(users[users.length - 2]);
  const before = previous === null ? null : parseCommand(previous);
  const tasks = lastMentionedTasks(prompt);
  const chosen = index === -1 ? tasks[tasks.length - 1] : tasks[index - 1];
  if (!before || (before.kind !== "pronoun" && before.kind !== "tool") || !chosen) {
    return text("I don't have a list to pick from. Name the task instead.");
  }
  if (before.kind === "tool" && !("task" in before.input)) {
    return text("I don't have a list to pick from. Name the task instead.");
  }
  return toolCall(prompt, before.tool, { ...before.input, task: chosen.id });
}

function run(prompt: LanguageModelV3Prompt, intent: Intent): LanguageModelV3GenerateResult {
  switch (intent.kind) {
    case "answer":
      return text(intent.text);
    case "tool":
      return toolCall(prompt, intent.tool, intent.input);
    case "pronoun":
      return resolvePronoun(prompt, intent);
    case "pick":
      return resolvePick(prompt, intent.index);
    case "confirm": {
      const pending = pendingConfirmation(prompt);
      return pending
        ? toolCall(prompt, pending.tool, { confirmation_id: pending.id })
        : text("Nothing is waiting for your confirmation.");
    }
    case "cancel":
      return text(pendingConfirmation(prompt) ? "Cancelled: nothing was changed." : "OK, nothing to do.");
  }
}

async function answer(prompt: LanguageModelV3Prompt): Promise<LanguageModelV3GenerateResult> {
  const last = prompt[prompt.length - 1];
  if (last?.role === "tool") {
    const results = last.content.filter((part) => part.type === "tool-result");
    return text(results.map((part) => describeResult(part.toolName, part.output)).join("\n\n"));
  }
  const said = userText(last);
  if (said === null) return text("I can't do that offline.");
  return run(prompt, parseCommand(said));
}
