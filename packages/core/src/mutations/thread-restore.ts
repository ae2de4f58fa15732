import * as z from "zod";
import { isoTimeSchema, slugSchema } from "../entities";
import { defineMutation } from "./mutation";
import { threadKey } from "./thread-key";

export const threadRestoreArgs = z.object({ projectId: slugSchema, threadId: slugSchema, restoredAt: isoTimeSchema });

/** `thread.restore`: takes a thread (and so its entries) out of the trash. */
export const threadRestore = defineMutation({
  op: "thread.restore",
  args: threadRestoreArgs,
  entityId: (args) => threadKey(args.projectId, args.threadId),
  async apply(context, args) {
    const { tx, hooks } = context;
    const seq = await tx.nextSeq();
    const key = { projectId: args.projectId, threadId: args.threadId, at: args.restoredAt, seq };
    if (await tx.restoreThread(key)) {
      await hooks?.restored({ type: "thread", id: threadKey(args.projectId, args.threadId) });
    }
  },
});
