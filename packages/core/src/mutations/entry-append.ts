import * as z from "zod";
import { entryContentSchema, idSchema, isoTimeSchema, plainText, slugSchema } from "../entities";
import { defineMutation, type MutationContext } from "./mutation";
import { ensureSessionFor } from "./session-mutations";
import { threadKey } from "./thread-key";

export const entryAppendArgs = z.object({
  id: idSchema,
  projectId: slugSchema,
  threadId: slugSchema,
  threadName: plainText().max(200).optional(),
  sessionId: idSchema.nullable().default(null),
  /** The agent of the session, when this write is its first (see ensureSessionFor). */
  sessionAgent: plainText().max(200).optional(),
  author: plainText().max(200).default(""),
  content: entryContentSchema,
  createdAt: isoTimeSchema,
});
export type EntryAppendArgs = z.infer<typeof entryAppendArgs>;

/** Makes sure the project and thread of a write exist (restoring a deleted thread: the user wrote to it). */
export async function ensureThreadFor(
  context: MutationContext,
  target: { projectId: string; threadId: string; threadName?: string | undefined; at: string },
): Promise<void> {
  const key = threadKey(target.projectId, target.threadId);
  if (context.knownThreads.has(key)) return;
  const { tx } = context;
  if (!context.knownProjects.has(target.projectId)) {
    await tx.ensureProject({ id: target.projectId, name: target.projectId, createdAt: target.at });
    context.knownProjects.add(target.projectId);
  }
  await tx.ensureThread(
    {
      id: target.threadId,
      projectId: target.projectId,
      name: target.threadName ?? target.threadId,
      status: "active",
      createdAt: target.at,
      updatedAt: target.at,
      deletedAt: null,
    },
    () => tx.nextSeq(),
  );
  context.knownThreads.add(key);
}

/** `entry.append`: one verbatim entry, appended to a thread (created when missing). */
export const entryAppend = defineMutation({
  op: "entry.append",
  args: entryAppendArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    await ensureThreadFor(context, {
      projectId: args.projectId,
      threadId: args.threadId,
      threadName: args.threadName,
      at: args.createdAt,
    });
    const seq = await context.tx.nextSeq();
    await context.tx.insertEntry(
      {
        id: args.id,
        threadId: args.threadId,
        projectId: args.projectId,
        sessionId: args.sessionId,
        author: args.author,
        content: args.content,
        createdAt: args.createdAt,
        deletedAt: null,
      },
      seq,
      context.deviceId,
    );
    if (args.sessionId !== null) {
      await ensureSessionFor(context, {
        sessionId: args.sessionId,
        projectId: args.projectId,
        at: args.createdAt,
        agent: args.sessionAgent,
      });
    }
  },
});
