import { AppError } from "@cairn/core/app-error";
import type { Task } from "@cairn/core/task-entities";
import { taskView } from "@cairn/core/task-view";
import type { Command } from "commander";
import { type CliContext, credentialsOf, textInput, withScope } from "../cli-context";
import { writeThenPush } from "../inline-push";
import { localWriter } from "../local/local-writer";
import { printResult } from "../output";
import { type ProjectOptions, projectOf } from "../project-options";
import { intOption } from "./options";

type JsonOption = { json?: boolean };

/** Public view of a task (the CLI contract: id, title, status, …): the tools' view, with every field. */
function view(task: Task) {
  return {
    ...taskView(task),
    description: task.description,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    completedAt: task.completedAt,
    version: task.version,
  };
}

const statusMark: Record<Task["status"], string> = { pending: "[ ]", in_progress: "[~]", done: "[x]" };

function taskLine(task: Task): string {
  const due = task.dueAt ? ` due ${task.dueAt.slice(0, 10)}` : "";
  const priority = task.priority === "normal" ? "" : ` !${task.priority}`;
  const project = task.projectId ? ` (${task.projectId})` : "";
  return `${statusMark[task.status]} ${task.title}${due}${priority}${project}  ${task.id}`;
}

function printTask(context: CliContext, json: boolean, verb: string, task: Task & { synced: boolean }) {
  const result = { ...view(task), synced: task.synced };
  printResult(context, json, result, () => `${task.synced ? "synced" : "queued"}: ${verb} ${taskLine(task)}`);
}

/** `cairn task add|list|show|done|update|rm`: tasks in the local store, synced like everything else. */
export function registerTaskCommands(program: Command, context: CliContext): void {
  const task = program.command("task").description("Tasks: add, list, complete, update, remove");

  task
    .command("add")
    .description("Add a task (title from the arguments or stdin)")
    .argument("[title...]", "what to do")
    .option("--description <text>", "details (at most 1,000 characters)")
    .option("--priority <p>", "low|normal|high|urgent", "normal")
    .option("--due <when>", '"today", "tomorrow", "in 3 days", a weekday or an ISO date')
    .option("--project <name>", "project (default: detected)")
    .option("--personal", "no project: the task shows in every project's list")
    .option("--json", "print JSON")
    .action(
      async (
        words: string[],
        options: JsonOption &
          ProjectOptions & { description?: string; priority: string; due?: string; personal?: boolean },
      ) => {
        const { addTask } = await import("@cairn/core/operations/tasks");
        const title = await textInput(context, words);
        const project = options.personal ? null : projectOf(context, options);
        const written = await writeThenPush(
          context,
          (local) =>
            addTask(localWriter(context, local), {
              title,
              project,
              priority: options.priority as Task["priority"],
              ...(options.description !== undefined ? { description: options.description } : {}),
              ...(options.due ? { due: options.due } : {}),
            }),
          (added) => added.id,
        );
        printTask(context, Boolean(options.json), "added", written);
      },
    );

  task
    .command("list")
    .description("List tasks: open ones first, soonest due first")
    .option("--status <s>", "open|pending|in_progress|done|all", "open")
    .option("--due <window>", "overdue|today|tomorrow|week|none")
    .option("--priority <p>", "low|normal|high|urgent")
    .option("--title <words>", "titles containing these words")
    .option("--project <name>", "project (default: detected); personal tasks always show")
    .option("--all-projects", "every project")
    .option("--limit <n>", "page size", intOption, 50)
    .option("--offset <n>", "skip this many", intOption, 0)
    .option("--json", "print JSON")
    .action(
      async (
        options: JsonOption &
          ProjectOptions & {
            status: string;
            due?: string;
            priority?: string;
            title?: string;
            limit: number;
            offset: number;
          },
      ) => {
        const { listTasks } = await import("@cairn/core/operations/tasks");
        await withScope(context, credentialsOf(context), async (local) => {
          const page = await listTasks(
            { store: local.user, now: context.now },
            {
              status: options.status as "open",
              ...(options.allProjects ? {} : { project: projectOf(context, options) }),
              ...(options.due ? { due: options.due as "today" } : {}),
              ...(options.priority ? { priority: options.priority as Task["priority"] } : {}),
              ...(options.title ? { title: options.title } : {}),
              limit: options.limit,
              offset: options.offset,
            },
          );
          const result = { tasks: page.tasks.map(view), total: page.total };
          printResult(context, Boolean(options.json), result, () =>
            page.tasks.length === 0 ? "no tasks" : page.tasks.map(taskLine).join("\n"),
          );
        });
      },
    );

  task
    .command("show")
    .description("Show one task (by id or title words)")
    .argument("<task...>", "id or words of the title")
    .option("--json", "print JSON")
    .action(async (words: string[], options: JsonOption) => {
      const { resolveTask } = await import("@cairn/core/operations/tasks");
      await withScope(context, credentialsOf(context), async (local) => {
        const found = await resolveTask({ store: local.user }, words.join(" "));
        const synced = !local.outbox.unsynced([found.id]).has(found.id);
        printResult(context, Boolean(options.json), { task: { ...view(found), synced } }, () =>
          [taskLine(found), found.description].filter(Boolean).join("\n"),
        );
      });
    });

  task
    .command("done")
    .description("Mark a task done (by id or title words)")
    .argument("<task...>", "id or words of the title")
    .option("--json", "print JSON")
    .action(async (words: string[], options: JsonOption) => {
      const { completeTask } = await import("@cairn/core/operations/tasks");
      const written = await (await import("../local/tasks")).changeTask(
        context,
        words.join(" "),
        (writer, found) => completeTask(writer, found.id),
        true,
      );
      printTask(context, Boolean(options.json), "done", written);
    });

  task
    .command("update")
    .description("Change a task's title, description, status, priority or due date")
    .argument("<task...>", "id or words of the title")
    .option("--title <text>", "new title")
    .option("--description <text>", "new description")
    .option("--status <s>", "pending|in_progress|done")
    .option("--priority <p>", "low|normal|high|urgent")
    .option("--due <when>", 'new due date, or "none" to clear it')
    .option("--json", "print JSON")
    .action(
      async (
        words: string[],
        options: JsonOption & {
          title?: string;
          description?: string;
          status?: string;
          priority?: string;
          due?: string;
        },
      ) => {
        const { updateTask } = await import("@cairn/core/operations/tasks");
        const change = {
          ...(options.title !== undefined ? { title: options.title } : {}),
          ...(options.description !== undefined ? { description: options.description } : {}),
          ...(options.status ? { status: options.status as Task["status"] } : {}),
          ...(options.priority ? { priority: options.priority as Task["priority"] } : {}),
          ...(options.due ? { due: options.due === "none" ? null : options.due } : {}),
        };
        if (Object.keys(change).length === 0) {
          throw new AppError("bad_request", "Nothing to change", {
            hint: "Give --title, --description, --status, --priority or --due.",
          });
        }
        const written = await (await import("../local/tasks")).changeTask(context, words.join(" "), (writer, found) =>
          updateTask(writer, { id: found.id, ...change }),
        );
        printTask(context, Boolean(options.json), "updated", written);
      },
    );

  task
    .command("rm")
    .description("Move a task to the trash (cairn trash restore brings it back for 30 days)")
    .argument("<task...>", "id or words of the title")
    .option("--json", "print JSON")
    .action(async (words: string[], options: JsonOption) => {
      const { deleteTask } = await import("@cairn/core/operations/tasks");
      const written = await (await import("../local/tasks")).changeTask(context, words.join(" "), (writer, found) =>
        deleteTask(writer, found.id),
      );
      printTask(context, Boolean(options.json), "removed", written);
    });
}
