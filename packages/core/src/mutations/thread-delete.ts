import * as z from "zod";
import { isoTimeSchema, slugSchema } from "../entities";
import { defineMutation } from "./mutation";
import { threadKey } from "./thread-key";

export const threadDeleteArgs = z.object({
  projectId: slugSchema,
  threadId: slugSchema,
  deletedAt: isoTimeSchema,
});

/** `thread.delete`: a soft delete (a tombstone); deleting a missing thread is a no-op. */
export const threadDelete = defineMutation({
  op: "thread.delete",
  args: threadDeleteArgs,
  entityId: (args) => threadKey(args.projectId, args.threadId),
  async apply(context, args) {
    const seq = await context.tx.nextSeq(context.userId);
    await context.tx.deleteThread(context.userId, {
      projectId: args.projectId,
      threadId: args.threadId,
      at: args.deletedAt,
      seq,
    });
    context.knownThreads.delete(threadKey(args.projectId, args.threadId));
  },
});
