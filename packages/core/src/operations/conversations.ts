import type * as z from "zod";
import { AppError } from "../app-error";
import type { Conversation } from "../chat/chat-entities";
import { idSchema } from "../entities";
import type { Store, StoreReader } from "../store-port";
import { parseInput } from "../validate";
import { pagingSchema } from "./paging";

/** The user's conversation with this id: `not_found` when there is none, `forbidden` when it is another user's. */
export async function ownedConversation(
  deps: { store: StoreReader },
  userId: string,
  id: string,
): Promise<Conversation> {
  const conversationId = parseInput(idSchema, id);
  const conversation = await deps.store.getConversation(userId, conversationId);
  if (conversation) return conversation;
  if (await deps.store.conversationExists(conversationId)) {
    throw new AppError("forbidden", `Conversation ${conversationId} belongs to another user`);
  }
  throw new AppError("not_found", `No conversation ${conversationId}`);
}

/** The user's conversations, most recently active first. */
export async function listConversations(
  deps: { store: StoreReader },
  userId: string,
  input: z.input<typeof pagingSchema>,
) {
  return deps.store.listConversations(userId, parseInput(pagingSchema, input));
}

/** One page of a conversation's messages, in order. */
export async function conversationMessages(
  deps: { store: StoreReader },
  userId: string,
  id: string,
  input: z.input<typeof pagingSchema>,
) {
  const conversation = await ownedConversation(deps, userId, id);
  return deps.store.listMessages(userId, conversation.id, parseInput(pagingSchema, input));
}

/** Deletes a conversation with its messages. */
export async function deleteConversation(deps: { store: Store }, userId: string, id: string) {
  const conversation = await ownedConversation(deps, userId, id);
  await deps.store.transaction((tx) => tx.deleteConversation(userId, conversation.id));
  return { deleted: true, id: conversation.id };
}
