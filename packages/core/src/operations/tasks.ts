import * as z from "zod";
import { AppError } from "../app-error";
import { endOfDay, parseDue, startOfDay } from "../due-date";
import { idSchema, slugSchema } from "../entities";
import { versionAfter } from "../hlc";
import type { TaskPutArgs } from "../mutations/task-put";
import type { TaskReads } from "../store/store-roles";
import type { TaskListQuery } from "../store/store-types";
import {
  type Task,
  type TaskStatus,
  taskDescriptionSchema,
  taskPrioritySchema,
  taskStatusSchema,
  taskTitleSchema,
} from "../task-entities";
import { parseTimeFilter } from "../time-filter";
import { parseInput } from "../validate";
import type { MemoryWriteDeps } from "./memories";
import { pagingSchema } from "./paging";

/** What a task write needs: the same as a memory's (a sink, ids, time, a version clock) plus reads. */
export type TaskWriteDeps = MemoryWriteDeps & { store: TaskReads };

const dueInput = z.string().max(100).nullable();

export const addTaskInput = z.object({
  title: taskTitleSchema,
  description: taskDescriptionSchema.default(""),
  status: taskStatusSchema.default("pending"),
  priority: taskPrioritySchema.default("normal"),
  /** "today", "tomorrow", "in 3 days", a weekday, or an ISO date / date-time. */
  due: dueInput.optional(),
  /** Null or absent: a personal task, listed with every project's. */
  project: slugSchema.nullable().optional(),
  /** A caller-chosen id: a create sent again with it returns the task it made (a retry creates nothing new). */
  id: idSchema.optional(),
});

/** Creates a task. */
export async function addTask(deps: TaskWriteDeps, input: z.input<typeof addTaskInput>): Promise<Task> {
  const parsed = parseInput(addTaskInput, input);
  const now = deps.now();
  const at = now.toISOString();
  if (parsed.id !== undefined) {
    const existing = await deps.store.getTask(parsed.id);
    if (existing) return existing;
  }
  const task: Task = {
    id: parsed.id ?? deps.newId(),
    projectId: parsed.project ?? null,
    title: parsed.title,
    description: parsed.description,
    status: parsed.status,
    priority: parsed.priority,
    dueAt: parsed.due ? parseDue(parsed.due, now) : null,
    createdAt: at,
    updatedAt: at,
    completedAt: parsed.status === "done" ? at : null,
    version: deps.nextVersion(),
    deletedAt: null,
  };
  await deps.sink.commit([{ op: "task.put", args: { ...task, baseVersion: null } satisfies TaskPutArgs }]);
  return task;
}

/** A task as it stands (deleted ones too), or `not_found` (also for another user's id). */
export async function getTask(deps: { store: TaskReads }, id: string): Promise<Task> {
  const task = await deps.store.getTask(parseInput(idSchema, id));
  if (!task) throw new AppError("not_found", `No task ${id}`);
  return task;
}

type TaskChange = Partial<
  Pick<Task, "title" | "description" | "status" | "priority" | "dueAt" | "projectId" | "deletedAt">
>;

/** The next version of a task; completion time follows the status. */
export function nextTaskState(current: Task, change: TaskChange, at: string): Task {
  const next: Task = { ...current, ...change, updatedAt: at };
  if (next.status === "done" && current.status !== "done") next.completedAt = at;
  if (next.status !== "done") next.completedAt = null;
  return next;
}

/** Writes several tasks' next versions in one commit (one transaction, one outbox batch). */
export async function putTasks(deps: TaskWriteDeps, changes: { current: Task; change: TaskChange }[]) {
  const at = deps.now().toISOString();
  const next = changes.map(({ current, change }) => ({
    current,
    next: { ...nextTaskState(current, change, at), version: versionAfter(deps.nextVersion(), current.version) },
  }));
  await deps.sink.commit(
    next.map(({ current, next: task }) => ({
      op: "task.put",
      args: { ...task, baseVersion: current.version } satisfies TaskPutArgs,
    })),
  );
  return next.map(({ next: task }) => task);
}

export const updateTaskInput = z.object({
  id: idSchema,
  title: taskTitleSchema.optional(),
  description: taskDescriptionSchema.optional(),
  status: taskStatusSchema.optional(),
  priority: taskPrioritySchema.optional(),
  /** Null clears the due date. */
  due: dueInput.optional(),
  project: slugSchema.nullable().optional(),
});

/** Edits a task: a new version made from the current one. */
export async function updateTask(deps: TaskWriteDeps, input: z.input<typeof updateTaskInput>): Promise<Task> {
  const parsed = parseInput(updateTaskInput, input);
  const current = await getTask(deps, parsed.id);
  if (current.deletedAt !== null) throw new AppError("conflict", `Task ${parsed.id} is in the trash; restore it first`);
  const change: TaskChange = {};
  if (parsed.title !== undefined) change.title = parsed.title;
  if (parsed.description !== undefined) change.description = parsed.description;
  if (parsed.status !== undefined) change.status = parsed.status;
  if (parsed.priority !== undefined) change.priority = parsed.priority;
  if (parsed.due !== undefined) change.dueAt = parsed.due === null ? null : parseDue(parsed.due, deps.now());
  if (parsed.project !== undefined) change.projectId = parsed.project;
  const [next] = await putTasks(deps, [{ current, change }]);
  return next as Task;
}

/** Marks a task done (a task already done is returned as it is). */
export async function completeTask(deps: TaskWriteDeps, id: string): Promise<Task> {
  const current = await getTask(deps, id);
  if (current.deletedAt !== null) throw new AppError("conflict", `Task ${id} is in the trash; restore it first`);
  if (current.status === "done") return current;
  const [next] = await putTasks(deps, [{ current, change: { status: "done" } }]);
  return next as Task;
}

/** Moves a task to the trash (soft delete: `cairn trash restore` brings it back for 30 days). */
export async function deleteTask(deps: TaskWriteDeps, id: string): Promise<Task> {
  const current = await getTask(deps, id);
  if (current.deletedAt !== null) return current;
  const [next] = await putTasks(deps, [{ current, change: { deletedAt: deps.now().toISOString() } }]);
  return next as Task;
}

/** Takes a task out of the trash. */
export async function restoreTask(deps: TaskWriteDeps, id: string): Promise<Task> {
  const current = await getTask(deps, id);
  if (current.deletedAt === null) return current;
  const [next] = await putTasks(deps, [{ current, change: { deletedAt: null } }]);
  return next as Task;
}

/** Which tasks a list shows: a status, or `open` (not done) / `all`. */
export const taskStatusFilterSchema = z.enum(["pending", "in_progress", "done", "open", "all"]);

/** Due-date windows people ask for ("what do I need to do today?"). */
export const dueFilterSchema = z.enum(["overdue", "today", "tomorrow", "week", "none"]);

export const taskListInput = pagingSchema.extend({
  /** Without a project: every task. With one: that project's and the personal (project-less) ones. */
  project: slugSchema.optional(),
  status: taskStatusFilterSchema.default("all"),
  due: dueFilterSchema.optional(),
  priority: taskPrioritySchema.optional(),
  /** Tasks whose title contains these words, in any case. */
  title: z.string().max(200).optional(),
  /** Completed within this window ("7d", or ISO); implies status done. */
  completedSince: z.string().optional(),
  completedUntil: z.string().optional(),
});

function statusesOf(filter: z.infer<typeof taskStatusFilterSchema>): TaskStatus[] | undefined {
  if (filter === "all") return undefined;
  if (filter === "open") return ["pending", "in_progress"];
  return [filter];
}

/** The store query of a task list (the agent's tools build theirs the same way). */
export function taskQuery(parsed: z.infer<typeof taskListInput>, now: Date): TaskListQuery {
  const query: TaskListQuery = {
    projectId: parsed.project,
    statuses: statusesOf(parsed.status),
    priority: parsed.priority,
    titleContains: parsed.title?.trim() || undefined,
    limit: parsed.limit,
    offset: parsed.offset,
  };
  if (parsed.completedSince !== undefined || parsed.completedUntil !== undefined) {
    query.statuses = ["done"];
    if (parsed.completedSince) query.completedSince = parseTimeFilter(parsed.completedSince, now, "completedSince");
    if (parsed.completedUntil) query.completedUntil = parseTimeFilter(parsed.completedUntil, now, "completedUntil");
  }
  switch (parsed.due) {
    case "overdue":
      query.dueBefore = startOfDay(now).toISOString();
      break;
    case "today":
      // Due today, or already late: what needs doing today.
      query.dueBefore = new Date(endOfDay(now).getTime() + 1).toISOString();
      break;
    case "tomorrow":
      query.dueAfter = startOfDay(now, 1).toISOString();
      query.dueBefore = startOfDay(now, 2).toISOString();
      break;
    case "week":
      query.dueBefore = startOfDay(now, 8).toISOString();
      break;
    case "none":
      query.noDue = true;
      break;
  }
  return query;
}

/** Tasks, open ones first, soonest due first. */
export async function listTasks(
  deps: { store: TaskReads; now?: () => Date },
  input: z.input<typeof taskListInput>,
): Promise<{ tasks: Task[]; total: number }> {
  const parsed = parseInput(taskListInput, input);
  return deps.store.listTasks(taskQuery(parsed, deps.now?.() ?? new Date()));
}

/** Words a reference carries that name no task ("the dentist thing", "my tax return task"). */
const filler = new Set([
  "the",
  "a",
  "an",
  "my",
  "our",
  "that",
  "this",
  "thing",
  "task",
  "todo",
  "item",
  "stuff",
  "one",
]);

/** A word's stem for matching titles: "taxes" and "tax", "calling" and "call" match. */
function stem(word: string): string {
  return word
    .toLowerCase()
    .replace(/(?:ing|ed|es|s)$/, "")
    .replace(/(.)\1$/, "$1");
}

/**
 * The tasks a reference names: the live task with that id, else the live
 * tasks whose title contains the words (open ones only when `open`), else those
 * whose title holds every meaningful word of the reference in some form ("the
 * taxes thing" names "file tax return"). An exact title match among several
 * wins. The agent's tools and the CLI both resolve "buy milk" this way.
 */
export async function findTasksByRef(
  deps: { store: TaskReads },
  ref: string,
  options: { open?: boolean } = {},
): Promise<Task[]> {
  const trimmed = ref.trim();
  if (idSchema.safeParse(trimmed).success) {
    const byId = await deps.store.getTask(trimmed);
    if (byId && byId.deletedAt === null) return [byId];
  }
  const statuses = options.open ? { statuses: ["pending", "in_progress"] as TaskStatus[] } : {};
  const page = await deps.store.listTasks({ titleContains: trimmed, ...statuses, limit: 20, offset: 0 });
  const exact = page.tasks.filter((task) => task.title.toLowerCase() === trimmed.toLowerCase());
  if (exact.length === 1) return exact;
  if (page.tasks.length > 0) return page.tasks;
  const words = trimmed
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0 && !filler.has(word.toLowerCase()))
    .map(stem)
    .filter((word) => word.length >= 2);
  if (words.length === 0) return [];
  // The longest stem is the rarest, most likely: the store narrows by it, the rest is checked here.
  const anchor = [...words].sort((left, right) => right.length - left.length)[0] ?? "";
  const candidates = await deps.store.listTasks({ titleContains: anchor, ...statuses, limit: 200, offset: 0 });
  return candidates.tasks
    .filter((task) => {
      const title = task.title
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .map(stem);
      return words.every((word) =>
        title.some((part) => part.startsWith(word) || (part.length >= 3 && word.startsWith(part))),
      );
    })
    .slice(0, 20);
}

/** The one task a reference names, or not_found / conflict (listing the matches). */
export async function resolveTask(
  deps: { store: TaskReads },
  ref: string,
  options: { open?: boolean } = {},
): Promise<Task> {
  const matches = await findTasksByRef(deps, ref, options);
  if (matches.length === 0) throw new AppError("not_found", `No task matches "${ref}"`);
  if (matches.length > 1) {
    throw new AppError("conflict", `${matches.length} tasks match "${ref}"`, {
      details: { matches: matches.map((task) => ({ id: task.id, title: task.title, status: task.status })) },
      hint: "Name it by id, or with more of its title.",
    });
  }
  return matches[0] as Task;
}
