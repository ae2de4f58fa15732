import * as z from "zod";
import { idSchema, slugSchema } from "../entities";
import { defineMutation } from "./mutation";

export const trashPurgeArgs = z.object({
  type: z.enum(["entry", "thread", "memory", "task"]),
  id: z.union([idSchema, slugSchema]),
  projectId: slugSchema.optional(),
});

/**
 * `trash.purge`: deletes for good one row that is in the trash (a row that
 * is not in the trash is left alone). Every store purges it the same way;
 * a purged row no longer exists to pull.
 */
export const trashPurge = defineMutation({
  op: "trash.purge",
  args: trashPurgeArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { tx, hooks } = context;
    if (await tx.purgeTrashItem(args.type, args.id, args.projectId)) {
      await hooks?.purged({ type: args.type, id: args.id });
    }
  },
});
