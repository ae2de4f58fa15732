import * as z from "zod";
import { idSchema, isoTimeSchema, plainText, slugSchema } from "./entities";

/**
 * The schemas of tasks (SPEC section 2), apart from entities.ts so a
 * command that writes an entry does not build them.
 */
export const taskStatuses = ["pending", "in_progress", "done"] as const;
export const taskStatusSchema = z.enum(taskStatuses);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

export const taskPriorities = ["low", "normal", "high", "urgent"] as const;
export const taskPrioritySchema = z.enum(taskPriorities);
export type TaskPriority = z.infer<typeof taskPrioritySchema>;

export const taskLimits = { titleChars: 200, descriptionChars: 1_000 } as const;

export const taskTitleSchema = plainText()
  .transform((text) => text.trim())
  .refine((text) => text.length > 0, "must not be empty")
  .refine((text) => text.length <= taskLimits.titleChars, `must be at most ${taskLimits.titleChars} characters`);

export const taskDescriptionSchema = plainText().max(
  taskLimits.descriptionChars,
  `must be at most ${taskLimits.descriptionChars} characters`,
);

export const taskSchema = z.object({
  id: idSchema,
  /** Null: a personal task, listed with every project's. */
  projectId: slugSchema.nullable(),
  title: z.string(),
  description: z.string(),
  status: taskStatusSchema,
  priority: taskPrioritySchema,
  dueAt: isoTimeSchema.nullable(),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
  completedAt: isoTimeSchema.nullable(),
  version: z.string(),
  deletedAt: isoTimeSchema.nullable(),
});
export type Task = z.infer<typeof taskSchema>;
