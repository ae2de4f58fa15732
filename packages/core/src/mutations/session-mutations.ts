import * as z from "zod";
import { idSchema, isoTimeSchema, slugSchema } from "../entities";
import { defineMutation } from "./mutation";

export const sessionStartArgs = z.object({
  id: idSchema,
  projectId: slugSchema,
  agent: z.string().max(200).default(""),
  startedAt: isoTimeSchema,
});
export const sessionEndArgs = z.object({
  id: idSchema,
  endedAt: isoTimeSchema,
  summary: z.string().max(5000).nullable().default(null),
});

/** `session.start`: a new work session in a project (a replay leaves the existing one as it is). */
export const sessionStart = defineMutation({
  op: "session.start",
  args: sessionStartArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { tx, userId } = context;
    if (await tx.getSession(userId, args.id)) return;
    await tx.ensureProject(userId, { id: args.projectId, name: args.projectId, createdAt: args.startedAt });
    await tx.putSession(
      userId,
      {
        id: args.id,
        projectId: args.projectId,
        agent: args.agent,
        startedAt: args.startedAt,
        lastActivityAt: args.startedAt,
        endedAt: null,
        summary: null,
      },
      await tx.nextSeq(userId),
    );
  },
});

/** `session.end`: ends a session (the first end wins; ending an ended session is a no-op). */
export const sessionEnd = defineMutation({
  op: "session.end",
  args: sessionEndArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { tx, userId } = context;
    const session = await tx.getSession(userId, args.id);
    if (!session || session.endedAt !== null) return;
    await tx.putSession(
      userId,
      { ...session, endedAt: args.endedAt, summary: args.summary ?? session.summary },
      await tx.nextSeq(userId),
    );
  },
});
