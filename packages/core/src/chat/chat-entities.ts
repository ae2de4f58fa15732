/**
 * Conversations and their messages (SPEC sections 2 and 5): server-side
 * only, never synced. One row per message, so history is rebuilt from the
 * database on every request and any server process can serve any turn.
 */

export interface Conversation {
  id: string;
  title: string;
  createdAt: string;
  updatedAt: string;
}

export interface ConversationSummary extends Conversation {
  messageCount: number;
}

export type MessageRole = "user" | "assistant" | "tool";

/** pending: a user message whose turn is running; error: a turn that failed (a retry runs it again). */
export type MessageStatus = "pending" | "complete" | "error";

/** A tool call as an assistant message records it. */
export interface StoredToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface ChatMessage {
  id: string;
  conversationId: string;
  seq: number;
  role: MessageRole;
  /** Text for user and assistant messages; the JSON result for a tool message. */
  content: string;
  toolCalls: StoredToolCall[] | null;
  toolCallId: string | null;
  clientMessageId: string | null;
  status: MessageStatus;
  /** The error code of a failed turn (on its user message). */
  error: string | null;
  createdAt: string;
}

/** A message about to be appended (the store assigns its seq). */
export type NewChatMessage = Omit<ChatMessage, "seq">;

/** A tool call's stored outcome: a replay of the same call id returns it and runs nothing. */
export interface ToolInvocation {
  toolCallId: string;
  toolName: string;
  result: unknown;
  success: boolean;
  createdAt: string;
}

/**
 * A destructive or bulk change a tool described and did not run: it runs
 * only when a later turn of the same conversation confirms it.
 */
export interface PendingConfirmation {
  id: string;
  conversationId: string;
  /** The seq of the user message of the turn that asked (a confirmation must come from a later one). */
  askedAtSeq: number;
  action: { tool: string; taskIds: string[]; change: "delete" | "complete" };
  createdAt: string;
  usedAt: string | null;
}

/** The chat API's answer to one turn (SPEC section 4), as the server sends it and the CLI reads it. */
export interface ChatAnswer {
  conversation_id: string;
  message_id: string;
  assistant_message: string;
  tool_calls: { tool_name: string; parameters: unknown; result: unknown; success: boolean }[];
  created_at: string;
}
