import * as z from "zod";
import type { Memory } from "../entities";
import { idSchema, isoTimeSchema, plainText, slugSchema } from "../entities";
import { limits } from "../limits";
import { memoryContentSchema, memoryKindSchema, tagSchema, versionSchema } from "../memory-entities";
import { defineMutation } from "./mutation";
import { ensureSessionFor } from "./session-mutations";

export const memoryPutArgs = z.object({
  id: idSchema,
  projectId: slugSchema,
  sessionId: idSchema.nullable().default(null),
  kind: memoryKindSchema,
  content: memoryContentSchema,
  tags: z.array(tagSchema).max(limits.memoryTags).default([]),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
  version: versionSchema,
  deletedAt: isoTimeSchema.nullable().default(null),
  /** The agent of the session, when this write is its first (see ensureSessionFor). */
  sessionAgent: plainText().max(200).optional(),
  /** The version this write was made from (null: a new memory). Another value means a concurrent edit. */
  baseVersion: versionSchema.nullable().default(null),
});
export type MemoryPutArgs = z.input<typeof memoryPutArgs>;

/**
 * `memory.put`: the whole state of a memory at a new version (create, edit,
 * forget and restore are all puts). The higher version wins, on the server
 * and in every local store alike. A write that loses, or that overwrites a
 * version it had not seen, is a conflict: the server's hooks put the loser
 * in the audit log, so it is never silently dropped.
 */
export const memoryPut = defineMutation({
  op: "memory.put",
  args: memoryPutArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { tx, hooks } = context;
    const { baseVersion, sessionAgent, ...fields } = args;
    const incoming: Memory = fields;
    const existing = await tx.getMemory(args.id);
    if (existing && existing.version === incoming.version) return; // a replay
    if (existing && existing.version > incoming.version) {
      await hooks?.conflict({ type: "memory", id: args.id, winner: existing, loser: incoming });
      return;
    }
    const deleting = existing !== null && existing.deletedAt === null && incoming.deletedAt !== null;
    const restoring = existing !== null && existing.deletedAt !== null && incoming.deletedAt === null;
    if (deleting) await hooks?.beforeDelete({ type: "memory", id: args.id });
    if (existing && baseVersion !== existing.version) {
      await hooks?.conflict({ type: "memory", id: args.id, winner: incoming, loser: existing });
    }
    await tx.putMemory(incoming, await tx.nextSeq(), context.deviceId);
    if (existing === null && incoming.sessionId !== null) {
      await ensureSessionFor(context, {
        sessionId: incoming.sessionId,
        projectId: incoming.projectId,
        at: incoming.updatedAt,
        agent: sessionAgent,
      });
    }
    if (deleting) await hooks?.deleted({ type: "memory", id: args.id });
    if (restoring) await hooks?.restored({ type: "memory", id: args.id });
  },
});
