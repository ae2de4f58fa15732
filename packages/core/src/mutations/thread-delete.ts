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
    const { tx, hooks } = context;
    const target = { type: "thread" as const, id: threadKey(args.projectId, args.threadId) };
    const live = await tx.findThreads(args.threadId, args.projectId);
    if (live.length > 0) await hooks?.beforeDelete(target);
    const seq = await tx.nextSeq();
    const deleted = await tx.deleteThread({
      projectId: args.projectId,
      threadId: args.threadId,
      at: args.deletedAt,
      seq,
    });
    context.knownThreads.delete(threadKey(args.projectId, args.threadId));
    if (deleted && live.length > 0) await hooks?.deleted(target);
  },
});
