import * as z from "zod";
import { idSchema, isoTimeSchema, plainText, slugSchema } from "../entities";
import { defineMutation, type MutationContext } from "./mutation";

/**
 * Makes sure the session a write is tagged with exists, and moves its last
 * activity to the write's time. A write may name a session nobody started
 * explicitly (the CLI opens one per project when none is open): it is created
 * here, started at that write, like a thread is created by its first entry.
 */
export async function ensureSessionFor(
  context: MutationContext,
  target: { sessionId: string; projectId: string; at: string; agent?: string | undefined },
): Promise<void> {
  const { tx } = context;
  if (!context.knownSessions.has(target.sessionId)) {
    if (!(await tx.getSession(target.sessionId))) {
      await tx.ensureProject({ id: target.projectId, name: target.projectId, createdAt: target.at });
      await tx.putSession(
        {
          id: target.sessionId,
          projectId: target.projectId,
          agent: target.agent ?? "",
          startedAt: target.at,
          lastActivityAt: target.at,
          endedAt: null,
          summary: null,
        },
        await tx.nextSeq(),
      );
    }
    context.knownSessions.add(target.sessionId);
  }
  await tx.touchSession(target.sessionId, target.at);
}

export const sessionStartArgs = z.object({
  id: idSchema,
  projectId: slugSchema,
  agent: plainText().max(200).default(""),
  startedAt: isoTimeSchema,
});
export const sessionEndArgs = z.object({
  id: idSchema,
  endedAt: isoTimeSchema,
  summary: plainText().max(5000).nullable().default(null),
});

/** `session.start`: a new work session in a project (a replay leaves the existing one as it is). */
export const sessionStart = defineMutation({
  op: "session.start",
  args: sessionStartArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { tx } = context;
    if (await tx.getSession(args.id)) return;
    await tx.ensureProject({ id: args.projectId, name: args.projectId, createdAt: args.startedAt });
    await tx.putSession(
      {
        id: args.id,
        projectId: args.projectId,
        agent: args.agent,
        startedAt: args.startedAt,
        lastActivityAt: args.startedAt,
        endedAt: null,
        summary: null,
      },
      await tx.nextSeq(),
    );
  },
});

/** `session.end`: ends a session (the first end wins; ending an ended session is a no-op). */
export const sessionEnd = defineMutation({
  op: "session.end",
  args: sessionEndArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { tx } = context;
    const session = await tx.getSession(args.id);
    if (!session || session.endedAt !== null) return;
    await tx.putSession(
      { ...session, endedAt: args.endedAt, summary: args.summary ?? session.summary },
      await tx.nextSeq(),
    );
  },
});
