import { threadKey } from "../mutations/thread-key";
import { mergeProject, statement } from "../portability/cypher-statement";
import { passes, syncedType, text } from "./synced-type";

/** A thread: a named list of entries in a project. Keyed by project and id (ids repeat across projects). */
export const threadType = syncedType({
  type: "thread",
  rowOf: (change) => change.thread,
  key: (thread) => threadKey(thread.projectId, thread.id),
  attribution: (thread) => ({ project: thread.projectId, time: thread.updatedAt }),
  fingerprint: (thread) => `${thread.name}|${thread.status}|${text(thread.deletedAt)}`,
  write: (tx, thread, seq) => tx.putThread(thread, seq),
  exportPass: 1,
  exported: (thread, filter) =>
    passes(thread, thread.projectId, thread.updatedAt, filter) ? { type: "thread", thread } : null,
  cypher: (thread) => {
    return statement(
      {
        key: `${thread.projectId}/${thread.id}`,
        id: thread.id,
        project: thread.projectId,
        name: thread.name,
        status: thread.status,
        createdAt: thread.createdAt,
      },
      [
        mergeProject,
        "MERGE (t:Thread {key: $row.key}) SET t.id = $row.id, t.name = $row.name, t.status = $row.status, t.createdAt = $row.createdAt",
        "MERGE (t)-[:IN_PROJECT]->(p)",
      ],
    );
  },
  importMutations: (thread) => [
    {
      op: "thread.create",
      args: { projectId: thread.projectId, threadId: thread.id, name: thread.name, createdAt: thread.createdAt },
    },
  ],
  feedEvent: () => null,
  embeddable: () => null,
});
