import * as z from "zod";
import { isoTimeSchema, plainText, slugSchema } from "../entities";
import { ensureThreadFor } from "./entry-append";
import { defineMutation } from "./mutation";
import { threadKey } from "./thread-key";

export const threadCreateArgs = z.object({
  projectId: slugSchema,
  threadId: slugSchema,
  name: plainText().max(200).optional(),
  createdAt: isoTimeSchema,
});

/** `thread.create`: an empty thread; creating an existing one changes nothing. */
export const threadCreate = defineMutation({
  op: "thread.create",
  args: threadCreateArgs,
  entityId: (args) => threadKey(args.projectId, args.threadId),
  async apply(context, args) {
    await ensureThreadFor(context, {
      projectId: args.projectId,
      threadId: args.threadId,
      threadName: args.name,
      at: args.createdAt,
    });
  },
});
