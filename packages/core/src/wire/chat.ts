import * as z from "zod";
import { idSchema, plainText } from "../entities";

/** `POST /api/chat`: one user message, in a conversation or starting one; a client message id makes a retry safe. */
export const chatInput = z.object({
  message: plainText()
    .refine((text) => /\S/.test(text), "must not be empty")
    .refine((text) => text.length <= 10_000, "must be at most 10,000 characters"),
  conversation_id: idSchema.optional(),
  client_message_id: z.string().min(1).max(100).optional(),
});
