import type * as z from "zod";
import { AppError } from "../app-error";
import type { Conversation } from "../chat/chat-entities";
import { idSchema } from "../entities";
import type { UserStore } from "../store/store-port";
import type { ConversationReads, SweepReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { pagingSchema } from "./paging";

/** The user's conversation with this id: `not_found` when there is none, `forbidden` when it is another user's. */
export async function ownedConversation(
  deps: { store: ConversationReads; system: Pick<SweepReads, "conversationExists"> },
  id: string,
): Promise<Conversation> {
  const conversationId = parseInput(idSchema, id);
  const conversation = await deps.store.getConversation(conversationId);
  if (conversation) return conversation;
  if (await deps.system.conversationExists(conversationId)) {
    throw new AppError("forbidden", `Conversation ${conversationId} belongs to another user`);
  }
  throw new AppError("not_found", `No conversation ${conversationId}`);
}

/** The user's conversations, most recently active first. */
export async function listConversations(deps: { store: ConversationReads }, input: z.input<typeof pagingSchema>) {
  return deps.store.listConversations(parseInput(pagingSchema, input));
}

/** One page of a conversation's messages, in order. */
export async function conversationMessages(
  deps: { store: ConversationReads; system: Pick<SweepReads, "conversationExists"> },
  id: string,
  input: z.input<typeof pagingSchema>,
) {
  const conversation = await ownedConversation(deps, id);
  return deps.store.listMessages(conversation.id, parseInput(pagingSchema, input));
}

/** Deletes a conversation with its messages. */
export async function deleteConversation(
  deps: { store: UserStore; system: Pick<SweepReads, "conversationExists"> },
  id: string,
) {
  const conversation = await ownedConversation(deps, id);
  await deps.store.transaction((tx) => tx.deleteConversation(conversation.id));
  return { deleted: true as const, id: conversation.id };
}
