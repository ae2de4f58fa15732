import * as z from "zod";
import { idSchema, isoTimeSchema, plainText, slugSchema } from "./entities";
import { limits } from "./limits";

/**
 * The schemas of memories and sessions (SPEC section 2), apart from
 * entities.ts so a command that writes an entry does not build them.
 */
import { memoryKinds } from "./memory-kinds";

export { memoryKinds };
export const memoryKindSchema = z.enum(memoryKinds);
export type MemoryKind = z.infer<typeof memoryKindSchema>;

export const tagSchema = plainText()
  .min(1)
  .max(limits.tagLength)
  .regex(/^[^,\s]+$/, "a tag has no spaces or commas");

/** Memory text: never empty, at most 50,000 characters. */
export const memoryContentSchema = plainText()
  .refine((text) => /\S/.test(text), "must not be empty")
  .refine(
    (text) => text.length <= limits.memoryContentChars,
    `must be at most ${limits.memoryContentChars} characters`,
  );

/** A hybrid logical clock value: "<13-digit ms>.<4-digit counter>.<node>"; later versions sort higher as text. */
export const versionSchema = z.string().regex(/^\d{13}\.\d{4}\.[A-Za-z0-9_-]{1,64}$/, "must be a clock version");

export const memorySchema = z.object({
  id: idSchema,
  projectId: slugSchema,
  sessionId: idSchema.nullable(),
  kind: memoryKindSchema,
  content: z.string(),
  tags: z.array(z.string()),
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
  version: z.string(),
  deletedAt: isoTimeSchema.nullable(),
});
export type Memory = z.infer<typeof memorySchema>;

/**
 * A memory's fields as tools outside Cairn see them (webhook events, the Cypher export): flat names,
 * no internal columns. The id is the caller's, under its own name.
 */
export function memoryForOutside(memory: Memory) {
  return {
    project: memory.projectId,
    session: memory.sessionId,
    kind: memory.kind,
    content: memory.content,
    tags: memory.tags,
    createdAt: memory.createdAt,
    updatedAt: memory.updatedAt,
  };
}

export const sessionSchema = z.object({
  id: idSchema,
  projectId: slugSchema,
  agent: z.string().max(200),
  startedAt: isoTimeSchema,
  lastActivityAt: isoTimeSchema,
  endedAt: isoTimeSchema.nullable(),
  summary: z.string().nullable(),
});
export type Session = z.infer<typeof sessionSchema>;
