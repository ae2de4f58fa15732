import { inSession, mergeProject, statement } from "../portability/cypher-statement";
import { passes, syncedType, text } from "./synced-type";

/** An entry: one verbatim record of work in a thread; written once, deleted (to the trash) or not. */
export const entryType = syncedType({
  type: "entry",
  rowOf: (change) => change.entry,
  key: (entry) => entry.id,
  attribution: (entry) => ({ project: entry.projectId, time: entry.createdAt }),
  fingerprint: (entry) => `${entry.content}|${text(entry.sessionId)}|${text(entry.deletedAt)}`,
  write: (tx, entry, seq) => tx.putEntry(entry, seq),
  exportPass: 2,
  exported: (entry, filter) =>
    passes(entry, entry.projectId, entry.createdAt, filter) ? { type: "entry", entry } : null,
  cypher: (entry) => {
    return statement(
      {
        key: entry.id,
        thread: `${entry.projectId}/${entry.threadId}`,
        threadId: entry.threadId,
        project: entry.projectId,
        session: entry.sessionId,
        author: entry.author,
        content: entry.content,
        createdAt: entry.createdAt,
      },
      [
        mergeProject,
        "MERGE (t:Thread {key: $row.thread}) SET t.id = $row.threadId",
        "MERGE (t)-[:IN_PROJECT]->(p)",
        "MERGE (e:Entry {key: $row.key}) SET e.id = $row.key, e.author = $row.author, e.content = $row.content, e.createdAt = $row.createdAt",
        "MERGE (e)-[:IN_THREAD]->(t)",
        ...inSession("e", entry.sessionId),
      ],
    );
  },
  importMutations: (entry) => [
    {
      op: "entry.append",
      args: {
        id: entry.id,
        projectId: entry.projectId,
        threadId: entry.threadId,
        sessionId: entry.sessionId,
        author: entry.author,
        content: entry.content,
        createdAt: entry.createdAt,
      },
    },
  ],
  feedEvent: (entry) =>
    entry.deletedAt !== null
      ? null
      : {
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
        },
  embeddable: (entry) => ({
    ref: { type: "entry", id: entry.id },
    text: entry.content,
    deleted: entry.deletedAt !== null,
  }),
});
