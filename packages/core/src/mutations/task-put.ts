import * as z from "zod";
import { idSchema, isoTimeSchema, slugSchema } from "../entities";
import { versionSchema } from "../memory-entities";
import {
  type Task,
  taskDescriptionSchema,
  taskPrioritySchema,
  taskStatusSchema,
  taskTitleSchema,
} from "../task-entities";
import { defineMutation } from "./mutation";

export const taskPutArgs = z.object({
  id: idSchema,
  projectId: slugSchema.nullable().default(null),
  title: taskTitleSchema,
  description: taskDescriptionSchema.default(""),
  status: taskStatusSchema,
  priority: taskPrioritySchema.default("normal"),
  dueAt: isoTimeSchema.nullable().default(null),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
  completedAt: isoTimeSchema.nullable().default(null),
  version: versionSchema,
  deletedAt: isoTimeSchema.nullable().default(null),
  /** The version this write was made from (null: a new task). Another value means a concurrent edit. */
  baseVersion: versionSchema.nullable().default(null),
});
export type TaskPutArgs = z.input<typeof taskPutArgs>;

/**
 * `task.put`: the whole state of a task at a new version, like `memory.put`
 * (create, edit, complete, delete and restore are all puts). The higher
 * version wins everywhere; the loser of a conflict goes to the audit log.
 */
export const taskPut = defineMutation({
  op: "task.put",
  args: taskPutArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { tx, hooks } = context;
    const { baseVersion, ...incoming } = args satisfies Task & { baseVersion: string | null };
    const existing = await tx.getTask(args.id);
    if (existing && existing.version === incoming.version) return; // a replay
    if (existing && existing.version > incoming.version) {
      await hooks?.conflict({ type: "task", id: args.id, winner: existing, loser: incoming });
      return;
    }
    const deleting = existing !== null && existing.deletedAt === null && incoming.deletedAt !== null;
    const restoring = existing !== null && existing.deletedAt !== null && incoming.deletedAt === null;
    if (deleting) await hooks?.beforeDelete({ type: "task", id: args.id });
    if (existing && baseVersion !== existing.version) {
      await hooks?.conflict({ type: "task", id: args.id, winner: incoming, loser: existing });
    }
    if (incoming.projectId !== null && !context.knownProjects.has(incoming.projectId)) {
      await tx.ensureProject({
        id: incoming.projectId,
        name: incoming.projectId,
        createdAt: incoming.createdAt,
      });
      context.knownProjects.add(incoming.projectId);
    }
    await tx.putTask(incoming, await tx.nextSeq(), context.deviceId);
    if (deleting) await hooks?.deleted({ type: "task", id: args.id });
    if (restoring) await hooks?.restored({ type: "task", id: args.id });
  },
});
