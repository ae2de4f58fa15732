import type { Task } from "./task-entities";

/**
 * A task as tools show it: small, so a model reads many in a few tokens. Its
 * own module with no schema in it: CLI commands import it at start-up.
 */
export function taskView(task: Task) {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    priority: task.priority,
    due: task.dueAt,
    project: task.projectId,
    ...(task.description ? { description: task.description } : {}),
    ...(task.completedAt ? { completedAt: task.completedAt } : {}),
  };
}
