import { mergeProject, statement } from "../portability/cypher-statement";
import { passes, syncedType, text } from "./synced-type";

/** A task: versioned like a memory; one of no project is personal, listed with every project's. */
export const taskType = syncedType({
  type: "task",
  rowOf: (change) => change.task,
  key: (task) => task.id,
  attribution: (task) => ({ project: task.projectId ?? "", time: task.updatedAt }),
  fingerprint: (task) => `${task.version}|${task.title}|${task.status}|${text(task.deletedAt)}`,
  version: (task) => task.version,
  current: (tx, task) => tx.getTask(task.id),
  write: (tx, task, seq) => tx.putTask(task, seq),
  exportPass: 2,
  exported: (task, filter) => (passes(task, task.projectId, task.updatedAt, filter) ? { type: "task", task } : null),
  cypher: (task) => {
    return statement(
      {
        key: task.id,
        project: task.projectId,
        title: task.title,
        description: task.description,
        status: task.status,
        priority: task.priority,
        dueAt: task.dueAt,
        completedAt: task.completedAt,
        createdAt: task.createdAt,
        updatedAt: task.updatedAt,
      },
      [
        "MERGE (k:Task {key: $row.key}) SET k.id = $row.key, k.title = $row.title, k.description = $row.description, k.status = $row.status, k.priority = $row.priority, k.dueAt = $row.dueAt, k.completedAt = $row.completedAt, k.createdAt = $row.createdAt, k.updatedAt = $row.updatedAt",
        // A personal task (no project) has no IN_PROJECT.
        ...(task.projectId === null ? [] : [mergeProject, "MERGE (k)-[:IN_PROJECT]->(p)"]),
      ],
    );
  },
  importMutations: (task) => [{ op: "task.put", args: { ...task, baseVersion: null } }],
  feedEvent: (task) => ({
    id: `task.changed:${task.id}:${task.version}`,
    type: "task.changed",
    createdAt: task.updatedAt,
    data: { ...task, deleted: task.deletedAt !== null },
  }),
  embeddable: (task) => ({
    ref: { type: "task", id: task.id },
    text: [task.title, task.description].filter(Boolean).join("\n"),
    deleted: task.deletedAt !== null,
  }),
});
