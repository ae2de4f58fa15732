import { slugSchema } from "@cairn/core/entities";
import { memoryKindSchema } from "@cairn/core/memory-entities";
import { forgetMemory, remember } from "@cairn/core/operations/memories";
import { search, type UnifiedHit } from "@cairn/core/operations/search";
import * as z from "zod";
import { defineTool } from "./tool";

export const searchMemoryTool = defineTool({
  name: "search_memory",
  description:
    "Search what the user recorded: memories (facts, decisions, notes) and thread entries. Returns the best " +
    "matches with highlighted snippets; cite them by id when you answer from them.",
  readOnly: true,
  destructive: false,
  input: z.object({
    query: z.string().min(1).max(1000),
    project: slugSchema.optional(),
    limit: z.number().int().min(1).max(20).optional(),
  }),
  async run(context, input) {
    const result = await search(context, {
      q: input.query,
      type: "entry,memory",
      ...(input.project ? { project: input.project } : {}),
      limit: input.limit ?? 5,
    });
    return { total: result.hits.length, hits: result.hits.map(compactHit) };
  },
});

/** A hit as tools return it: what a model needs to read and cite it. */
export function compactHit(hit: UnifiedHit) {
  return {
    type: hit.type,
    id: hit.id,
    project: hit.project,
    ...(hit.thread ? { thread: hit.thread } : {}),
    ...(hit.kind ? { kind: hit.kind } : {}),
    ...(hit.title ? { title: hit.title, status: hit.status } : {}),
    snippet: hit.snippet,
    score: hit.score,
    createdAt: hit.createdAt,
  };
}

export const rememberTool = defineTool({
  name: "remember",
  description: "Store a memory for the user: a fact, decision, preference or note, verbatim.",
  readOnly: false,
  destructive: false,
  input: z.object({
    content: z.string().min(1).max(50_000),
    kind: memoryKindSchema.optional(),
    tags: z.array(z.string().min(1).max(50)).max(20).optional(),
    project: slugSchema.optional(),
  }),
  async run(context, input) {
    const project = input.project ?? context.defaultProject;
    const memory = await remember(context.writer, {
      project,
      content: input.content,
      kind: input.kind ?? "note",
      tags: input.tags ?? [],
      ...(await context.sessionFor(project)),
    });
    return { status: "remembered", memory: { id: memory.id, kind: memory.kind, project: memory.projectId } };
  },
});

export const searchTool = defineTool({
  name: "search",
  description:
    "Search everything recorded: thread entries, memories and tasks, best first (exact phrase, then all words, " +
    "then some). Filter by type, project, session or time; page with the returned nextCursor. Snippets highlight " +
    "the matched words; the result states its size in tokens.",
  readOnly: true,
  destructive: false,
  input: z.object({
    query: z.string().min(1).max(1000),
    type: z.enum(["entry", "memory", "task"]).optional(),
    project: slugSchema.optional(),
    session: z.string().max(64).optional(),
    since: z.string().max(40).optional().describe('"30m", "2d", "1w" or an ISO date'),
    until: z.string().max(40).optional(),
    limit: z.number().int().min(1).max(50).optional(),
    cursor: z.number().int().min(0).optional(),
  }),
  async run(context, input) {
    const result = await search(context, {
      q: input.query,
      ...(input.type ? { type: input.type } : {}),
      ...(input.project ? { project: input.project } : {}),
      ...(input.session ? { session: input.session } : {}),
      ...(input.since ? { since: input.since } : {}),
      ...(input.until ? { until: input.until } : {}),
      limit: input.limit ?? 10,
      cursor: input.cursor ?? 0,
    });
    return { hits: result.hits.map(compactHit), nextCursor: result.nextCursor };
  },
});

export const forgetTool = defineTool({
  name: "forget",
  description: "Move one memory to the trash (restorable for 30 days).",
  readOnly: false,
  destructive: true,
  input: z.object({ id: z.string().min(1).max(64) }),
  async run(context, input) {
    const memory = await forgetMemory(context.writer, input.id);
    return { status: "forgotten", id: memory.id, deletedAt: memory.deletedAt };
  },
});
