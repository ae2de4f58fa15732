import { memoryForOutside } from "../memory-entities";
import type { Change } from "../store/store-types";
import type { WebhookEvent } from "./webhook-entities";

/**
 * The webhook event a change of the feed stands for: a new entry, a new or
 * edited memory, any change of a task. Ids are stable per change (a memory's
 * version, a task's version), so a scan that runs twice queues nothing twice.
 * Ended sessions are not here: their `session.ended` waits for the summary.
 */
export function feedEvent(change: Change): WebhookEvent | null {
  switch (change.type) {
    case "entry": {
      const { entry } = change;
      if (entry.deletedAt !== null) return null;
      return {
        id: `entry.created:${entry.id}`,
        type: "entry.created",
        createdAt: entry.createdAt,
        data: {
          id: entry.id,
          project: entry.projectId,
          thread: entry.threadId,
          session: entry.sessionId,
          author: entry.author,
          content: entry.content,
          createdAt: entry.createdAt,
        },
      };
    }
    case "memory": {
      const { memory } = change;
      if (memory.deletedAt !== null) return null;
      const created = memory.createdAt === memory.updatedAt;
      return {
        id: created ? `memory.created:${memory.id}` : `memory.updated:${memory.id}:${memory.version}`,
        type: created ? "memory.created" : "memory.updated",
        createdAt: memory.updatedAt,
        data: { id: memory.id, ...memoryForOutside(memory) },
      };
    }
    case "task": {
      const { task } = change;
      return {
        id: `task.changed:${task.id}:${task.version}`,
        type: "task.changed",
        createdAt: task.updatedAt,
        data: { ...task, deleted: task.deletedAt !== null },
      };
    }
    default:
      return null;
  }
}
