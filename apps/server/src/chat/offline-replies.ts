import type { LanguageModelV3ToolResultOutput } from "@ai-sdk/provider";

/** A task as the tools show it (see taskView). */
export interface TaskLike {
  id: string;
  title: string;
  status: string;
  priority?: string;
  due?: string | null;
}

function taskLine(task: TaskLike): string {
  const due = task.due ? `, due ${task.due.slice(0, 10)}` : "";
  const priority = task.priority && task.priority !== "normal" ? `, ${task.priority} priority` : "";
  const status = task.status === "pending" ? "" : ` [${task.status.replace("_", " ")}]`;
  return `${task.title}${status}${due}${priority}`;
}

function numbered(tasks: TaskLike[]): string {
  return tasks.map((task, index) => `${index + 1}. ${taskLine(task)}`).join("\n");
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** The offline model's answer from one tool result: what happened, in plain words, from the data only. */
export function describeResult(tool: string, output: LanguageModelV3ToolResultOutput): string {
  if (output.type === "error-text") return `That didn't work: ${output.value}`;
  if (output.type === "error-json") {
    const error = (output.value ?? {}) as { message?: string };
    return `That didn't work: ${error.message ?? JSON.stringify(output.value)}`;
  }
  if (output.type !== "json") return "Done.";
  const result = (output.value ?? {}) as Record<string, unknown>;
  const tasks = (result.tasks ?? []) as TaskLike[];
  switch (result.status) {
    case "added":
      return `Added "${taskLine(result.task as TaskLike)}".`;
    case "updated":
      return `Updated: ${taskLine(result.task as TaskLike)}.`;
    case "found":
      return taskLine(result.task as TaskLike);
    case "completed":
      return tasks.length === 1
        ? `Marked "${tasks[0]?.title}" done.`
        : `Marked ${plural(tasks.length, "task")} done:\n${numbered(tasks)}`;
    case "deleted":
      return `Deleted ${plural(Number(result.count ?? tasks.length), "task")} (in the trash for 30 days):\n${numbered(tasks)}`;
    case "needs_confirmation": {
      const would = (result.would_change ?? []) as TaskLike[];
      const verb = tool === "delete_task" ? "delete" : "mark done";
      return `This would ${verb} ${plural(would.length, "task")}:\n${numbered(would)}\nReply "yes" to confirm or "no" to cancel.`;
    }
    case "ambiguous": {
      const matches = (result.matches ?? []) as TaskLike[];
      return `${plural(matches.length, "task")} match. Which one do you mean?\n${numbered(matches)}`;
    }
    case "not_found":
      return String(result.message ?? "No task matches.");
    case "remembered": {
      const memory = result.memory as { id: string; kind: string };
      return `Remembered (${memory.kind} ${memory.id}).`;
    }
  }
  if (tool === "list_tasks") {
    if (tasks.length === 0) return "No tasks match.";
    const more = Number(result.total) > tasks.length ? `\n(${Number(result.total) - tasks.length} more)` : "";
    return `${plural(Number(result.total), "task")}:\n${numbered(tasks)}${more}`;
  }
  if (tool === "search_memory") {
    const hits = (result.hits ?? []) as { type: string; id: string; snippet: string }[];
    if (hits.length === 0) return "Nothing in memory about that.";
    return hits.map((hit) => `[${hit.type}:${hit.id}] ${hit.snippet.replace(/<\/?mark>/g, "")}`).join("\n");
  }
  return "Done.";
}
