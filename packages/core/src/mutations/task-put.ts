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
import { versionedPut } from "./versioned-put";

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

/** `task.put`: a task's whole state at a new version, like `memory.put` (see versionedPut). */
export const taskPut = defineMutation({
  op: "task.put",
  args: taskPutArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { baseVersion, ...incoming } = args satisfies Task & { baseVersion: string | null };
    await versionedPut(context, {
      type: "task",
      incoming,
      baseVersion,
      current: (id) => context.tx.getTask(id),
      write: (task, seq) => context.tx.putTask(task, seq, context.deviceId),
      async prepare() {
        if (incoming.projectId === null || context.knownProjects.has(incoming.projectId)) return;
        await context.tx.ensureProject({
          id: incoming.projectId,
          name: incoming.projectId,
          createdAt: incoming.createdAt,
        });
        context.knownProjects.add(incoming.projectId);
      },
    });
  },
});
