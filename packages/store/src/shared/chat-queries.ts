import type {
  ChatMessage,
  Conversation,
  ConversationSummary,
  NewChatMessage,
  PendingConfirmation,
  ToolInvocation,
} from "@cairn/core/chat/chat-entities";
import { isoTime, isoTimeOrNull } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

const conversationColumns = "id, title, created_at, updated_at";
const messageColumns =
  "id, conversation_id, seq, role, content, tool_calls, tool_call_id, client_message_id, status, error, created_at";

interface ConversationRow {
  id: string;
  title: string;
  created_at: string | Date;
  updated_at: string | Date;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  seq: number | string;
  role: string;
  content: string;
  tool_calls: string | null;
  tool_call_id: string | null;
  client_message_id: string | null;
  status: string;
  error: string | null;
  created_at: string | Date;
}

function toConversation(row: ConversationRow): Conversation {
  return { id: row.id, title: row.title, createdAt: isoTime(row.created_at), updatedAt: isoTime(row.updated_at) };
}

function toMessage(row: MessageRow): ChatMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    role: row.role as ChatMessage["role"],
    content: row.content,
    toolCalls: row.tool_calls === null ? null : (JSON.parse(row.tool_calls) as ChatMessage["toolCalls"]),
    toolCallId: row.tool_call_id,
    clientMessageId: row.client_message_id,
    status: row.status as ChatMessage["status"],
    error: row.error,
    createdAt: isoTime(row.created_at),
  };
}

/**
 * Creates a conversation; false when `originClientMessageId` already started
 * another one (two copies of a first message racing: one conversation wins).
 */
export async function createConversation(
  sql: SqlExec,
  userId: string,
  conversation: Conversation,
  originClientMessageId: string | null,
): Promise<boolean> {
  const changed = await sql.run(
    `INSERT INTO conversations (user_id, id, title, origin_client_message_id, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [
      userId,
      conversation.id,
      conversation.title,
      originClientMessageId,
      conversation.createdAt,
      conversation.updatedAt,
    ],
  );
  return changed > 0;
}

export async function getConversation(sql: SqlExec, userId: string, id: string): Promise<Conversation | null> {
  const [row] = await sql.all<ConversationRow>(
    `SELECT ${conversationColumns} FROM conversations WHERE user_id = ? AND id = ?`,
    [userId, id],
  );
  return row ? toConversation(row) : null;
}

/** Whether a conversation with this id exists for any user (only to answer 403 rather than 404). */
export async function conversationExists(sql: SqlExec, id: string): Promise<boolean> {
  const rows = await sql.all<{ one: number }>("SELECT 1 AS one FROM conversations WHERE id = ? LIMIT 1", [id]);
  return rows.length > 0;
}

export async function findConversationByOrigin(
  sql: SqlExec,
  userId: string,
  clientMessageId: string,
): Promise<Conversation | null> {
  const [row] = await sql.all<ConversationRow>(
    `SELECT ${conversationColumns} FROM conversations WHERE user_id = ? AND origin_client_message_id = ?`,
    [userId, clientMessageId],
  );
  return row ? toConversation(row) : null;
}

export async function listConversations(
  sql: SqlExec,
  userId: string,
  query: { limit: number; offset: number },
): Promise<{ conversations: ConversationSummary[]; total: number }> {
  const [count] = await sql.all<{ n: number | string }>("SELECT COUNT(*) AS n FROM conversations WHERE user_id = ?", [
    userId,
  ]);
  const rows = await sql.all<ConversationRow & { message_count: number | string }>(
    `SELECT c.id, c.title, c.created_at, c.updated_at,
            (SELECT COUNT(*) FROM messages m WHERE m.user_id = c.user_id AND m.conversation_id = c.id) AS message_count
       FROM conversations c WHERE c.user_id = ? ORDER BY c.updated_at DESC, c.id DESC LIMIT ? OFFSET ?`,
    [userId, query.limit, query.offset],
  );
  return {
    conversations: rows.map((row) => ({ ...toConversation(row), messageCount: Number(row.message_count) })),
    total: Number(count?.n ?? 0),
  };
}

/** Deletes a conversation with its messages and pending confirmations; false when there was none. */
export async function deleteConversation(sql: SqlExec, userId: string, id: string): Promise<boolean> {
  await sql.run("DELETE FROM messages WHERE user_id = ? AND conversation_id = ?", [userId, id]);
  await sql.run("DELETE FROM chat_confirmations WHERE user_id = ? AND conversation_id = ?", [userId, id]);
  return (await sql.run("DELETE FROM conversations WHERE user_id = ? AND id = ?", [userId, id])) > 0;
}

/**
 * Appends messages at the conversation's next seqs, in order. The first
 * statement updates the conversation row, which on PostgreSQL locks it: two
 * processes appending to one conversation take turns instead of colliding
 * on a seq. Returns the messages with their seqs; a message whose client
 * message id is already in the conversation is not inserted (and not returned).
 */
export async function appendMessages(
  sql: SqlExec,
  userId: string,
  conversationId: string,
  messages: NewChatMessage[],
  at: string,
): Promise<ChatMessage[]> {
  await sql.run("UPDATE conversations SET updated_at = ? WHERE user_id = ? AND id = ?", [at, userId, conversationId]);
  const [last] = await sql.all<{ seq: number | string | null }>(
    "SELECT MAX(seq) AS seq FROM messages WHERE user_id = ? AND conversation_id = ?",
    [userId, conversationId],
  );
  let seq = Number(last?.seq ?? 0);
  const appended: ChatMessage[] = [];
  for (const message of messages) {
    const row = { ...message, seq: seq + 1 };
    const changed = await sql.run(
      `INSERT INTO messages (user_id, id, conversation_id, seq, role, content, tool_calls, tool_call_id,
                             client_message_id, status, error, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [
        userId,
        row.id,
        conversationId,
        row.seq,
        row.role,
        row.content,
        row.toolCalls === null ? null : JSON.stringify(row.toolCalls),
        row.toolCallId,
        row.clientMessageId,
        row.status,
        row.error,
        row.createdAt,
      ],
    );
    if (changed > 0) {
      seq = row.seq;
      appended.push(row);
    }
  }
  return appended;
}

export async function findMessageByClientId(
  sql: SqlExec,
  userId: string,
  conversationId: string,
  clientMessageId: string,
): Promise<ChatMessage | null> {
  const [row] = await sql.all<MessageRow>(
    `SELECT ${messageColumns} FROM messages WHERE user_id = ? AND conversation_id = ? AND client_message_id = ?`,
    [userId, conversationId, clientMessageId],
  );
  return row ? toMessage(row) : null;
}

/** The newest `limit` messages before seq `beforeSeq` (all when absent), oldest first. */
export async function recentMessages(
  sql: SqlExec,
  userId: string,
  conversationId: string,
  limit: number,
  beforeSeq?: number,
): Promise<ChatMessage[]> {
  const rows = await sql.all<MessageRow>(
    `SELECT ${messageColumns} FROM messages WHERE user_id = ? AND conversation_id = ?${beforeSeq === undefined ? "" : " AND seq < ?"}
     ORDER BY seq DESC LIMIT ?`,
    beforeSeq === undefined ? [userId, conversationId, limit] : [userId, conversationId, beforeSeq, limit],
  );
  return rows.map(toMessage).reverse();
}

/** Messages with seq > `afterSeq`, oldest first, at most `limit`. */
export async function messagesAfter(
  sql: SqlExec,
  userId: string,
  conversationId: string,
  afterSeq: number,
  limit: number,
): Promise<ChatMessage[]> {
  const rows = await sql.all<MessageRow>(
    `SELECT ${messageColumns} FROM messages WHERE user_id = ? AND conversation_id = ? AND seq > ?
     ORDER BY seq LIMIT ?`,
    [userId, conversationId, afterSeq, limit],
  );
  return rows.map(toMessage);
}

export async function listMessages(
  sql: SqlExec,
  userId: string,
  conversationId: string,
  query: { limit: number; offset: number },
): Promise<{ messages: ChatMessage[]; total: number }> {
  const [count] = await sql.all<{ n: number | string }>(
    "SELECT COUNT(*) AS n FROM messages WHERE user_id = ? AND conversation_id = ?",
    [userId, conversationId],
  );
  const rows = await sql.all<MessageRow>(
    `SELECT ${messageColumns} FROM messages WHERE user_id = ? AND conversation_id = ? ORDER BY seq LIMIT ? OFFSET ?`,
    [userId, conversationId, query.limit, query.offset],
  );
  return { messages: rows.map(toMessage), total: Number(count?.n ?? 0) };
}

/** Sets a message's status (and error code); `onlyIf` makes it a compare-and-set. True when it changed. */
export async function setMessageStatus(
  sql: SqlExec,
  userId: string,
  messageId: string,
  change: { status: ChatMessage["status"]; error: string | null; onlyIf?: ChatMessage["status"][] | undefined },
): Promise<boolean> {
  const guard = change.onlyIf ? ` AND status IN (${change.onlyIf.map(() => "?").join(", ")})` : "";
  return (
    (await sql.run(`UPDATE messages SET status = ?, error = ? WHERE user_id = ? AND id = ?${guard}`, [
      change.status,
      change.error,
      userId,
      messageId,
      ...(change.onlyIf ?? []),
    ])) > 0
  );
}

export async function getToolInvocation(
  sql: SqlExec,
  userId: string,
  toolCallId: string,
): Promise<ToolInvocation | null> {
  const [row] = await sql.all<{
    tool_call_id: string;
    tool_name: string;
    result: string;
    success: number | boolean;
    created_at: string | Date;
  }>(
    "SELECT tool_call_id, tool_name, result, success, created_at FROM tool_invocations WHERE user_id = ? AND tool_call_id = ?",
    [userId, toolCallId],
  );
  if (!row) return null;
  return {
    toolCallId: row.tool_call_id,
    toolName: row.tool_name,
    result: JSON.parse(row.result) as unknown,
    success: Boolean(row.success),
    createdAt: isoTime(row.created_at),
  };
}

/** Records a tool call's outcome; the first record of a call id wins. */
export async function putToolInvocation(sql: SqlExec, userId: string, invocation: ToolInvocation): Promise<void> {
  await sql.run(
    `INSERT INTO tool_invocations (user_id, tool_call_id, tool_name, result, success, created_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [
      userId,
      invocation.toolCallId,
      invocation.toolName,
      JSON.stringify(invocation.result ?? null),
      invocation.success ? 1 : 0,
      invocation.createdAt,
    ],
  );
}

export async function putConfirmation(sql: SqlExec, userId: string, confirmation: PendingConfirmation): Promise<void> {
  await sql.run(
    `INSERT INTO chat_confirmations (user_id, id, conversation_id, asked_at_seq, action, created_at, used_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    [
      userId,
      confirmation.id,
      confirmation.conversationId,
      confirmation.askedAtSeq,
      JSON.stringify(confirmation.action),
      confirmation.createdAt,
      confirmation.usedAt,
    ],
  );
}

export async function getConfirmation(sql: SqlExec, userId: string, id: string): Promise<PendingConfirmation | null> {
  const [row] = await sql.all<{
    id: string;
    conversation_id: string;
    asked_at_seq: number | string;
    action: string;
    created_at: string | Date;
    used_at: string | Date | null;
  }>(
    "SELECT id, conversation_id, asked_at_seq, action, created_at, used_at FROM chat_confirmations WHERE user_id = ? AND id = ?",
    [userId, id],
  );
  if (!row) return null;
  return {
    id: row.id,
    conversationId: row.conversation_id,
    askedAtSeq: Number(row.asked_at_seq),
    action: JSON.parse(row.action) as PendingConfirmation["action"],
    createdAt: isoTime(row.created_at),
    usedAt: isoTimeOrNull(row.used_at),
  };
}

/** Marks a confirmation used; false when it already was (so it runs at most once). */
export async function useConfirmation(sql: SqlExec, userId: string, id: string, at: string): Promise<boolean> {
  return (
    (await sql.run("UPDATE chat_confirmations SET used_at = ? WHERE user_id = ? AND id = ? AND used_at IS NULL", [
      at,
      userId,
      id,
    ])) > 0
  );
}
