import type { ChatMessage } from "@cairn/core/chat/chat-entities";
import type { AssistantModelMessage, ModelMessage, ToolModelMessage } from "ai";
import { toolResultOf } from "./chat-answer";

/** A rough token count (4 characters a token): enough to keep a prompt within a budget. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4;
}

/** Messages that stay together: a user message, or an assistant message with its tool results. */
type Unit = { messages: ModelMessage[]; tokens: number };

/** Leaves out turns that failed (their user message has status error), except the turn being run. */
function liveMessages(messages: ChatMessage[], currentUserMessageId: string | null): ChatMessage[] {
  const live: ChatMessage[] = [];
  let skipping = false;
  for (const message of messages) {
    if (message.role === "user") {
      skipping = message.status === "error" && message.id !== currentUserMessageId;
    }
    if (!skipping) live.push(message);
  }
  return live;
}

/**
 * The prompt history from stored messages (oldest first): the newest ones
 * within `budgetTokens`, never a tool call without its result or a result
 * without its call (orphans from a cut window or a failed turn are dropped),
 * and always the newest message.
 */
export function historyOf(
  stored: ChatMessage[],
  options: { budgetTokens: number; currentUserMessageId?: string | null },
): ModelMessage[] {
  const messages = liveMessages(stored, options.currentUserMessageId ?? null);
  const results = new Map<string, ChatMessage>();
  for (const message of messages) {
    if (message.role === "tool" && message.toolCallId) results.set(message.toolCallId, message);
  }
  const units: Unit[] = [];
  for (const message of messages) {
    if (message.role === "user") {
      units.push({ messages: [{ role: "user", content: message.content }], tokens: estimateTokens(message.content) });
      continue;
    }
    if (message.role !== "assistant") continue; // tool results travel with their call
    const calls = (message.toolCalls ?? []).filter((call) => results.has(call.id));
    const assistant: AssistantModelMessage = {
      role: "assistant",
      content: [
        ...(message.content ? [{ type: "text" as const, text: message.content }] : []),
        ...calls.map((call) => ({
          type: "tool-call" as const,
          toolCallId: call.id,
          toolName: call.name,
          input: call.input,
        })),
      ],
    };
    if (assistant.content.length === 0) continue;
    let tokens = estimateTokens(message.content) + estimateTokens(JSON.stringify(calls));
    const unit: Unit = { messages: [assistant], tokens };
    if (calls.length > 0) {
      const tool: ToolModelMessage = {
        role: "tool",
        content: calls.map((call) => {
          const result = results.get(call.id) as ChatMessage;
          tokens += estimateTokens(result.content);
          const value = toolResultOf(result.content);
          return {
            type: "tool-result" as const,
            toolCallId: call.id,
            toolName: call.name,
            output:
              result.status === "error"
                ? { type: "error-json" as const, value: value as never }
                : { type: "json" as const, value: value as never },
          };
        }),
      };
      unit.messages.push(tool);
      unit.tokens = tokens;
    }
    units.push(unit);
  }
  const kept: Unit[] = [];
  let used = 0;
  for (let index = units.length - 1; index >= 0; index--) {
    const unit = units[index] as Unit;
    if (kept.length > 0 && used + unit.tokens > options.budgetTokens) break;
    kept.unshift(unit);
    used += unit.tokens;
  }
  // A history that opens with the model's turn reads oddly to most providers: start at a user message.
  while (kept.length > 1 && kept[0]?.messages[0]?.role !== "user") kept.shift();
  return kept.flatMap((unit) => unit.messages);
}
