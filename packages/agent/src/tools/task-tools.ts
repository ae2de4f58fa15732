import { AppError } from "@cairn/core/app-error";
import { endOfDay, parseDurationDays } from "@cairn/core/due-date";
import { slugSchema } from "@cairn/core/entities";
import {
  addTask,
  dueFilterSchema,
  findTasksByRef,
  getTask,
  listTasks,
  putTasks,
  taskListInput,
  taskQuery,
  updateTask,
} from "@cairn/core/operations/tasks";
import { type Task, taskDescriptionSchema, taskPrioritySchema, taskStatusSchema } from "@cairn/core/task-entities";
import { taskView } from "@cairn/core/task-view";
import { parseInput } from "@cairn/core/validate";
import * as z from "zod";
import { defineTool, type ToolContext } from "./tool";

const taskRef = z.string().min(1).max(200).describe("The task's id, or words from its title (matched without case).");

/** The tasks a reference names (see findTasksByRef). */
function resolveTaskRef(context: ToolContext, ref: string, open = false): Promise<Task[]> {
  return findTasksByRef(context, ref, { open });
}

/**
 * The answer when a reference names no task (a tool error, like a missing thread's) or several
 * (the matches: the model asks the user which one).
 */
function unresolved(ref: string, matches: Task[]) {
  if (matches.length === 0) {
    throw new AppError("not_found", `No task matches "${ref}"`, {
      hint: "List the tasks (list_tasks) and name one by its id or more of its title.",
    });
  }
  return {
    status: "ambiguous",
    message: `${matches.length} tasks match "${ref}". Ask the user which one they mean; do not guess.`,
    matches: matches.map(taskView),
  };
}

const filterSchema = z
  .object({
    status: z.enum(["pending", "in_progress", "done", "open", "all"]).optional(),
    due: dueFilterSchema.optional(),
    title: z.string().max(200).optional().describe("Words the titles contain"),
    priority: taskPrioritySchema.optional(),
    completed_since: z.string().optional().describe('Completed since: "7d", "2w", or an ISO date'),
    completed_until: z.string().optional().describe("Completed before: a duration back from now or an ISO date"),
    project: slugSchema.optional(),
  })
  .describe("Selects several tasks at once (a bulk change, which needs the user's confirmation).");

async function tasksMatching(context: ToolContext, filter: z.infer<typeof filterSchema>): Promise<Task[]> {
  const parsed = parseInput(taskListInput, {
    status: filter.status ?? "all",
    due: filter.due,
    title: filter.title,
    priority: filter.priority,
    completedSince: filter.completed_since,
    completedUntil: filter.completed_until,
    project: filter.project,
    limit: 200,
  });
  return (await context.store.listTasks(taskQuery(parsed, context.now()))).tasks;
}

/** The due date `span` later than the task's (or than the end of today, when it has none), as an ISO time. */
function postponed(task: Task, span: string, now: Date): string {
  const days = parseDurationDays(span);
  if (days === null) {
    throw new AppError("invalid_input", `postpone_by: "${span}" is not a span of time`, {
      hint: 'Say "a week", "3 days" or "2 weeks".',
    });
  }
  const from = task.dueAt === null ? endOfDay(now).getTime() : Date.parse(task.dueAt);
  return new Date(from + days * 86_400_000).toISOString();
}

/** How long a described change may wait for the user's yes. */
const confirmationTtlMs = 60 * 60 * 1000;

/**
 * Records a change for the user to confirm and describes it. Nothing
 * changes now: the tool runs it only when called again, with this id, from
 * a later turn of the same conversation.
 */
async function askToConfirm(context: ToolContext, tool: string, change: "delete" | "complete", tasks: Task[]) {
  const id = context.newId();
  await context.confirmations.put({
    id,
    conversationId: context.conversation?.id ?? "",
    askedAtSeq: context.conversation?.turnSeq ?? 0,
    action: { tool, taskIds: tasks.map((task) => task.id), change },
    createdAt: context.now().toISOString(),
    usedAt: null,
  });
  const verb = change === "delete" ? "delete" : "mark done";
  return {
    status: "needs_confirmation",
    confirmation_id: id,
    message:
      `Nothing changed yet. Tell the user this would ${verb} ${tasks.length} task${tasks.length === 1 ? "" : "s"} ` +
      `(list them) and ask them to confirm. Only after they agree in their next message, call ${tool} again with ` +
      "this confirmation_id.",
    would_change: tasks.map(taskView),
  };
}

/** Runs a confirmed change: only from a later turn of the conversation that asked, and only once. */
async function runConfirmed(context: ToolContext, tool: string, confirmationId: string) {
  const confirmation = await context.store.getConfirmation(confirmationId);
  if (!confirmation || confirmation.action.tool !== tool) {
    throw new AppError("not_found", `No pending confirmation ${confirmationId} for ${tool}`);
  }
  const here = context.conversation;
  if (here !== null && (confirmation.conversationId !== here.id || here.turnSeq <= confirmation.askedAtSeq)) {
    throw new AppError(
      "conflict",
      "This change needs the user's confirmation in their next message; ask them first and wait for the answer.",
    );
  }
  if (context.now().getTime() - Date.parse(confirmation.createdAt) > confirmationTtlMs) {
    throw new AppError("conflict", "This confirmation has expired; describe the change again and ask anew.");
  }
  if (!(await context.confirmations.use(confirmationId, context.now().toISOString()))) {
    throw new AppError("conflict", "This change was already confirmed and done.");
  }
  const tasks: Task[] = [];
  for (const id of confirmation.action.taskIds) {
    const task = await context.store.getTask(id);
    // A task deleted, or completed, since the question is left as it is.
    if (task && task.deletedAt === null && !(confirmation.action.change === "complete" && task.status === "done")) {
      tasks.push(task);
    }
  }
  const at = context.now().toISOString();
  const changed = await putTasks(
    context.writer,
    tasks.map((current) => ({
      current,
      change: confirmation.action.change === "delete" ? { deletedAt: at } : { status: "done" as const },
    })),
  );
  return {
    status: confirmation.action.change === "delete" ? "deleted" : "completed",
    count: changed.length,
    tasks: changed.map(taskView),
  };
}

export const addTaskTool = defineTool({
  name: "add_task",
  description: "Add a task to the user's list. Returns the new task.",
  readOnly: false,
  destructive: false,
  input: z.object({
    title: z.string().min(1).max(200).describe("What to do, short (at most 200 characters)"),
    description: taskDescriptionSchema.optional().describe("Details (at most 1,000 characters)"),
    priority: taskPrioritySchema.optional(),
    due: z.string().max(100).optional().describe('"today", "tomorrow", "in 3 days", a weekday, or an ISO date'),
    project: slugSchema.optional().describe("Only when the user names a project"),
  }),
  async run(context, input) {
    const task = await addTask(context.writer, input);
    return { status: "added", task: taskView(task) };
  },
});

export const listTasksTool = defineTool({
  name: "list_tasks",
  description:
    "List the user's tasks, open ones first and soonest due first. Filter by status (open = not done), due " +
    "window (overdue, today = due today or late, tomorrow, week, none), title words, or completion time.",
  readOnly: true,
  destructive: false,
  input: filterSchema.extend({ limit: z.number().int().min(1).max(100).optional() }),
  async run(context, input) {
    const page = await listTasks(context, {
      status: input.status ?? "all",
      due: input.due,
      title: input.title,
      priority: input.priority,
      completedSince: input.completed_since,
      completedUntil: input.completed_until,
      project: input.project,
      limit: input.limit ?? 50,
    });
    return { total: page.total, tasks: page.tasks.map(taskView) };
  },
});

export const getTaskTool = defineTool({
  name: "get_task",
  description: "Show one task in full, by id or by words from its title.",
  readOnly: true,
  destructive: false,
  input: z.object({ task: taskRef }),
  async run(context, input) {
    const matches = await resolveTaskRef(context, input.task);
    if (matches.length !== 1) return unresolved(input.task, matches);
    return { status: "found", task: taskView(await getTask(context, (matches[0] as Task).id)) };
  },
});

export const updateTaskTool = defineTool({
  name: "update_task",
  description:
    "Change one task: its title, description, status, priority or due date (null clears it), or move its due " +
    'date later by a span (postpone_by: "a week", "3 days"). If the reference matches several tasks, the answer ' +
    "lists them: ask the user which one.",
  readOnly: false,
  destructive: false,
  input: z.object({
    task: taskRef,
    new_title: z.string().min(1).max(200).optional(),
    description: taskDescriptionSchema.optional(),
    status: taskStatusSchema.optional(),
    priority: taskPrioritySchema.optional(),
    due: z.string().max(100).nullable().optional(),
    postpone_by: z
      .string()
      .max(40)
      .optional()
      .describe('Move the due date later by this span ("a week", "3 days"); from today when it has none'),
  }),
  async run(context, input) {
    const matches = await resolveTaskRef(context, input.task);
    if (matches.length !== 1) return unresolved(input.task, matches);
    const current = matches[0] as Task;
    const task = await updateTask(context.writer, {
      id: current.id,
      title: input.new_title,
      description: input.description,
      status: input.status,
      priority: input.priority,
      due: input.postpone_by === undefined ? input.due : postponed(current, input.postpone_by, context.now()),
    });
    return { status: "updated", task: taskView(task) };
  },
});

export const completeTaskTool = defineTool({
  name: "complete_task",
  description:
    "Mark a task done. Name one task with `task`; to complete several at once, pass `filter`: that first " +
    "returns what would change and a confirmation_id, and runs only when called again with the confirmation_id " +
    "after the user agreed in a later message.",
  readOnly: false,
  destructive: false,
  input: z.object({
    task: taskRef.optional(),
    filter: filterSchema.optional(),
    confirmation_id: z.string().max(64).optional(),
  }),
  async run(context, input) {
    if (input.confirmation_id) return runConfirmed(context, "complete_task", input.confirmation_id);
    if (input.task) {
      const matches = await resolveTaskRef(context, input.task, true);
      if (matches.length !== 1) return unresolved(input.task, matches);
      const [done] = await putTasks(context.writer, [{ current: matches[0] as Task, change: { status: "done" } }]);
      return { status: "completed", count: 1, tasks: [taskView(done as Task)] };
    }
    if (!input.filter) throw new AppError("invalid_input", "Name a task, or pass a filter");
    const open = (await tasksMatching(context, input.filter)).filter((task) => task.status !== "done");
    if (open.length === 0) return { status: "not_found", message: "No open task matches." };
    if (open.length === 1) {
      const [done] = await putTasks(context.writer, [{ current: open[0] as Task, change: { status: "done" } }]);
      return { status: "completed", count: 1, tasks: [taskView(done as Task)] };
    }
    return askToConfirm(context, "complete_task", "complete", open);
  },
});

export const deleteTaskTool = defineTool({
  name: "delete_task",
  description:
    "Delete tasks (they go to the trash for 30 days). Always two steps: the first call (with `task` or `filter`) " +
    "changes nothing and returns what would be deleted and a confirmation_id; tell the user and ask. Only after " +
    "they agree in their next message, call again with the confirmation_id. If `task` matches several tasks, the " +
    "answer lists them: ask which one.",
  readOnly: false,
  destructive: true,
  input: z.object({
    task: taskRef.optional(),
    filter: filterSchema.optional(),
    confirmation_id: z.string().max(64).optional(),
  }),
  async run(context, input) {
    if (input.confirmation_id) return runConfirmed(context, "delete_task", input.confirmation_id);
    if (input.task) {
      const matches = await resolveTaskRef(context, input.task);
      if (matches.length !== 1) return unresolved(input.task, matches);
      return askToConfirm(context, "delete_task", "delete", matches);
    }
    if (!input.filter) throw new AppError("invalid_input", "Name a task, or pass a filter");
    const matches = await tasksMatching(context, input.filter);
    if (matches.length === 0) return { status: "not_found", message: "No task matches." };
    return askToConfirm(context, "delete_task", "delete", matches);
  },
});
