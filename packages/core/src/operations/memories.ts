import * as z from "zod";
import { AppError } from "../app-error";
import { idSchema, type Memory, plainText, slugSchema } from "../entities";
import { versionAfter } from "../hlc";
import { limits } from "../limits";
import { memoryContentSchema, memoryKindSchema, tagSchema } from "../memory-entities";
import type { MemoryPutArgs } from "../mutations/memory-put";
import type { MutationSink } from "../mutations/mutation-sink";
import { searchTerms } from "../search-terms";
import type { MemoryReads, SafetyReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { attribution } from "./attribution";
import { pagingSchema } from "./paging";

export interface MemoryWriteDeps {
  sink: MutationSink;
  newId: () => string;
  now: () => Date;
  /** The next hybrid-logical-clock version of this writer. */
  nextVersion: () => string;
}

export const rememberInput = z.object({
  project: slugSchema,
  content: memoryContentSchema,
  kind: memoryKindSchema.default("note"),
  tags: z.array(tagSchema).max(limits.memoryTags).default([]),
  sessionId: idSchema.nullable().default(null),
  /** The agent of the session, when this memory starts it. */
  sessionAgent: plainText().max(200).optional(),
});

/** Stores a new memory. */
export async function remember(deps: MemoryWriteDeps, input: z.input<typeof rememberInput>): Promise<Memory> {
  const parsed = parseInput(rememberInput, input);
  const at = deps.now().toISOString();
  const memory: Memory = {
    id: deps.newId(),
    projectId: parsed.project,
    sessionId: parsed.sessionId,
    kind: parsed.kind,
    content: parsed.content,
    tags: [...new Set(parsed.tags)],
    createdAt: at,
    updatedAt: at,
    version: deps.nextVersion(),
    deletedAt: null,
  };
  const args: MemoryPutArgs = {
    ...memory,
    baseVersion: null,
    ...(parsed.sessionAgent ? { sessionAgent: parsed.sessionAgent } : {}),
  };
  await deps.sink.commit([{ op: "memory.put", args }]);
  return memory;
}

export const updateMemoryInput = z.object({
  id: idSchema,
  content: memoryContentSchema.optional(),
  kind: memoryKindSchema.optional(),
  tags: z.array(tagSchema).max(limits.memoryTags).optional(),
});

/** A memory as it stands, or `not_found` (also for another user's id). */
export async function getMemory(deps: { store: MemoryReads }, id: string): Promise<Memory> {
  const memory = await deps.store.getMemory(parseInput(idSchema, id));
  if (!memory) throw new AppError("not_found", `No memory ${id}`);
  return memory;
}

/**
 * A memory's history, newest first and paged: the audit log's events of the row, each version it
 * replaced (`version`, with `previous`), each conflict (`conflict`, with the `winner` kept and the
 * `loser`), and its deletes and restores. The memory itself is the current version.
 */
export async function memoryHistory(
  deps: { store: MemoryReads & SafetyReads },
  input: { id: string } & z.input<typeof pagingSchema>,
) {
  const memory = await getMemory(deps, input.id);
  const paging = parseInput(pagingSchema, { limit: input.limit, offset: input.offset });
  const page = await deps.store.listAudit({ target: { type: "memory", id: memory.id }, ...paging });
  return { memory, events: page.events, total: page.total };
}

async function putVersion(
  deps: MemoryWriteDeps & { store: MemoryReads },
  current: Memory,
  change: Partial<Pick<Memory, "content" | "kind" | "tags" | "deletedAt">>,
): Promise<Memory> {
  const version = versionAfter(deps.nextVersion(), current.version);
  const next: Memory = { ...current, ...change, updatedAt: deps.now().toISOString(), version };
  await deps.sink.commit([
    { op: "memory.put", args: { ...next, baseVersion: current.version } satisfies MemoryPutArgs },
  ]);
  return next;
}

/** Edits a memory: a new version made from the current one. */
export async function updateMemory(
  deps: MemoryWriteDeps & { store: MemoryReads },
  input: z.input<typeof updateMemoryInput>,
): Promise<Memory> {
  const parsed = parseInput(updateMemoryInput, input);
  const current = await getMemory(deps, parsed.id);
  if (current.deletedAt !== null)
    throw new AppError("conflict", `Memory ${parsed.id} is in the trash; restore it first`);
  const change: Partial<Pick<Memory, "content" | "kind" | "tags">> = {};
  if (parsed.content !== undefined) change.content = parsed.content;
  if (parsed.kind !== undefined) change.kind = parsed.kind;
  if (parsed.tags !== undefined) change.tags = [...new Set(parsed.tags)];
  return putVersion(deps, current, change);
}

/** Moves a memory to the trash (a new version with deletedAt). */
export async function forgetMemory(deps: MemoryWriteDeps & { store: MemoryReads }, id: string) {
  const current = await getMemory(deps, id);
  if (current.deletedAt !== null) return current;
  return putVersion(deps, current, { deletedAt: deps.now().toISOString() });
}

/** Takes a memory out of the trash. */
export async function restoreMemory(deps: MemoryWriteDeps & { store: MemoryReads }, id: string) {
  const current = await getMemory(deps, id);
  if (current.deletedAt === null) return current;
  return putVersion(deps, current, { deletedAt: null });
}

export const memoryListInput = pagingSchema.extend({
  project: slugSchema.optional(),
  session: idSchema.optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  kind: memoryKindSchema.optional(),
  tag: tagSchema.optional(),
});

export async function listMemories(
  deps: { store: MemoryReads; now?: () => Date },
  input: z.input<typeof memoryListInput>,
) {
  const parsed = parseInput(memoryListInput, input);
  return deps.store.listMemories({
    ...attribution(parsed, deps.now?.()),
    kind: parsed.kind,
    tag: parsed.tag,
    limit: parsed.limit,
    offset: parsed.offset,
  });
}

export const memorySearchInput = memoryListInput
  .omit({ kind: true, tag: true })
  .extend({ q: z.string().max(10_000, "must be at most 10,000 characters") });

/** BM25 search over memories; hostile query text is reduced to plain words first. */
export async function searchMemories(
  deps: { store: MemoryReads; now?: () => Date },
  input: z.input<typeof memorySearchInput>,
) {
  const parsed = parseInput(memorySearchInput, input);
  const terms = searchTerms(parsed.q);
  if (terms.length === 0) return { hits: [] };
  const hits = await deps.store.searchMemories({
    ...attribution(parsed, deps.now?.()),
    terms,
    limit: parsed.limit,
    offset: parsed.offset,
  });
  return { hits };
}
