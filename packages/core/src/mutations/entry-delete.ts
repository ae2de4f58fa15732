import * as z from "zod";
import { idSchema, isoTimeSchema } from "../entities";
import { defineMutation } from "./mutation";

export const entryDeleteArgs = z.object({ id: idSchema, deletedAt: isoTimeSchema });
export const entryRestoreArgs = z.object({ id: idSchema });

/** `entry.delete`: moves one entry to the trash (soft); a missing or already deleted entry is a no-op. */
export const entryDelete = defineMutation({
  op: "entry.delete",
  args: entryDeleteArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { tx, hooks } = context;
    const entry = await tx.getEntry(args.id);
    if (!entry || entry.deletedAt !== null) return;
    await hooks?.beforeDelete({ type: "entry", id: args.id });
    const seq = await tx.nextSeq();
    await tx.setEntryDeleted({ id: args.id, deletedAt: args.deletedAt, seq, changedBy: context.deviceId });
    await hooks?.deleted({ type: "entry", id: args.id });
  },
});

/** `entry.restore`: takes an entry out of the trash. */
export const entryRestore = defineMutation({
  op: "entry.restore",
  args: entryRestoreArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { tx, hooks } = context;
    const seq = await tx.nextSeq();
    if (await tx.setEntryDeleted({ id: args.id, deletedAt: null, seq, changedBy: context.deviceId })) {
      await hooks?.restored({ type: "entry", id: args.id });
    }
  },
});
