import type { LanguageModelV3ToolResultOutput } from "@ai-sdk/provider";
import type { Intent } from "./offline-intents";

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

/** What a count question counted, in words ("open tasks due today", "high priority tasks done"). */
function countedWhat(input: Record<string, unknown>): string {
  const status: Record<string, string> = {
    open: "open ",
    pending: "not yet started ",
    in_progress: "in-progress ",
    done: "finished ",
    all: "",
  };
  const due: Record<string, string> = {
    overdue: " overdue",
    today: " due today (or late)",
    tomorrow: " due tomorrow",
    week: " due this week",
    none: " without a due date",
  };
  const priority = typeof input.priority === "string" ? `${input.priority} priority ` : "";
  return `${status[String(input.status ?? "open")] ?? ""}${priority}task%s${due[String(input.due)] ?? ""}`;
}

/** The error a tool answered with, whatever the way it came back (an error part, or a result holding one). */
function failureOf(output: LanguageModelV3ToolResultOutput): string | null {
  if (output.type === "error-text") return output.value;
  if (output.type === "error-json") {
    const error = (output.value ?? {}) as { message?: string };
    return error.message ?? JSON.stringify(output.value);
  }
  if (output.type !== "json") return null;
  const error = (output.value as { error?: { message?: unknown } } | null)?.error;
  return error ? String(error.message ?? "the tool failed") : null;
}

/**
 * The offline model's answer from one tool result: what happened, in plain words, from the
 * data only. A failed call is said to have failed: an answer never claims what a tool did not do.
 */
export function describeResult(tool: string, output: LanguageModelV3ToolResultOutput, intent?: Intent): string {
  const failure = failureOf(output);
  if (failure !== null) return `That didn't work: ${failure}`;
  if (output.type !== "json") return "I got no usable answer from that.";
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
    const total = Number(result.total ?? tasks.length);
    if (intent?.kind === "tool" && intent.reply === "count") {
      const what = countedWhat(intent.input).replace("%s", total === 1 ? "" : "s");
      return `You have ${total} ${what}.`;
    }
    if (tasks.length === 0) return "No tasks match.";
    const more = total > tasks.length ? `\n(${total - tasks.length} more)` : "";
    return `${plural(total, "task")}:\n${numbered(tasks)}${more}`;
  }
  if (tool === "search_memory") {
    const hits = (result.hits ?? []) as { type: string; id: string; snippet: string }[];
    if (hits.length === 0) return "Nothing in memory about that.";
    return hits.map((hit) => `[${hit.type}:${hit.id}] ${hit.snippet.replace(/<\/?mark>/g, "")}`).join("\n");
  }
  if (tool === "ask_oracle") {
    const citations = (result.citations ?? []) as { ref: string }[];
    const answer = String(result.answer ?? "");
    if (result.abstained || citations.length === 0) return answer || "Memory holds nothing about that.";
    return `${answer}\n${citations.map((citation, index) => `[${index + 1}] ${citation.ref}`).join("\n")}`;
  }
  return "Done.";
}
