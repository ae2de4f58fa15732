import type { ChatAnswer, ChatMessage } from "@cairn/core/chat/chat-entities";

export type { ChatAnswer };

/** A tool message's stored content: its JSON result, or the text itself when it is not JSON. */
export function toolResultOf(content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

/**
 * The answer of a turn, from its stored messages (those after its user
 * message, up to the next user message): a retry with the same client
 * message id gets exactly what the first request got. Null while the turn
 * has no assistant message.
 */
export function answerOf(conversationId: string, turn: ChatMessage[]): ChatAnswer | null {
  const end = turn.findIndex((message) => message.role === "user");
  const messages = end === -1 ? turn : turn.slice(0, end);
  const results = new Map(
    messages.filter((message) => message.toolCallId).map((message) => [message.toolCallId, message]),
  );
  const toolCalls: ChatAnswer["tool_calls"] = [];
  let last: ChatMessage | null = null;
  for (const message of messages) {
    if (message.role !== "assistant") continue;
    last = message;
    for (const call of message.toolCalls ?? []) {
      const result = results.get(call.id);
      if (!result) continue;
      toolCalls.push({
        tool_name: call.name,
        parameters: call.input,
        result: toolResultOf(result.content),
        success: result.status === "complete",
      });
    }
  }
  if (!last) return null;
  return {
    conversation_id: conversationId,
    message_id: last.id,
    assistant_message: last.content,
    tool_calls: toolCalls,
    created_at: last.createdAt,
  };
}
