import * as z from "zod";
import type { Memory } from "../entities";
import { idSchema, isoTimeSchema, plainText, slugSchema } from "../entities";
import { limits } from "../limits";
import { memoryContentSchema, memoryKindSchema, tagSchema, versionSchema } from "../memory-entities";
import { defineMutation } from "./mutation";
import { ensureSessionFor } from "./session-mutations";
import { versionedPut } from "./versioned-put";

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

/** `memory.put`: a memory's whole state at a new version (see versionedPut). A new memory's session is made with it. */
export const memoryPut = defineMutation({
  op: "memory.put",
  args: memoryPutArgs,
  entityId: (args) => args.id,
  async apply(context, args) {
    const { baseVersion, sessionAgent, ...incoming } = args satisfies Memory & { baseVersion: string | null };
    await versionedPut(context, {
      type: "memory",
      incoming,
      baseVersion,
      current: (id) => context.tx.getMemory(id),
      write: (memory, seq) => context.tx.putMemory(memory, seq, context.deviceId),
      async written(existing) {
        if (existing !== null || incoming.sessionId === null) return;
        await ensureSessionFor(context, {
          sessionId: incoming.sessionId,
          projectId: incoming.projectId,
          at: incoming.updatedAt,
          agent: sessionAgent,
        });
      },
    });
  },
});
