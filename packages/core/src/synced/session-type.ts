import { mergeProject, statement } from "../portability/cypher-statement";
import { passes, syncedType, text } from "./synced-type";

/** A work session: what a run of work in a project was tagged with, and its summary once ended. */
export const sessionType = syncedType({
  type: "session",
  rowOf: (change) => change.session,
  key: (session) => session.id,
  attribution: (session) => ({ project: session.projectId, time: session.startedAt }),
  fingerprint: (session) => `${session.projectId}|${text(session.endedAt)}`,
  write: (tx, session, seq) => tx.putSession(session, seq),
  exportPass: 1,
  // Exported while active since then; its end follows the rows of both passes (see export-rows.ts).
  exported: (session, filter) =>
    passes({ deletedAt: null }, session.projectId, session.lastActivityAt, filter)
      ? { type: "session", session }
      : null,
  // `session.ended` waits for the session's summary (see webhooks/fan-out.ts).
  cypher: (session) => {
    return statement(
      {
        key: session.id,
        project: session.projectId,
        agent: session.agent,
        startedAt: session.startedAt,
        endedAt: session.endedAt,
        summary: session.summary,
      },
      [
        mergeProject,
        "MERGE (s:Session {key: $row.key}) SET s.id = $row.key, s.agent = $row.agent, s.startedAt = $row.startedAt, s.endedAt = $row.endedAt, s.summary = $row.summary",
        "MERGE (s)-[:IN_PROJECT]->(p)",
      ],
    );
  },
  importMutations: (session) => [
    {
      op: "session.start",
      args: { id: session.id, projectId: session.projectId, agent: session.agent, startedAt: session.startedAt },
    },
  ],
  feedEvent: () => null,
  embeddable: () => null,
});
