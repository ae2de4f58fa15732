import * as z from "zod";
import { slugSchema } from "../entities";
import { memoryKindSchema } from "../memory-entities";
import { remember, searchMemories } from "../operations/memories";
import { searchEntries } from "../operations/search-entries";
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
    const limit = input.limit ?? 5;
    const filter = { q: input.query, project: input.project, limit };
    const [memories, entries] = await Promise.all([
      searchMemories(context, context.userId, filter),
      searchEntries(context, context.userId, filter),
    ]);
    const hits = [
      ...memories.hits.map((hit) => ({
        type: "memory",
        id: hit.id,
        project: hit.project,
        kind: hit.kind,
        snippet: hit.snippet,
        score: hit.score,
      })),
      ...entries.hits.map((hit) => ({
        type: "entry",
        id: hit.id,
        thread: hit.threadId,
        project: hit.project,
        snippet: hit.snippet,
        score: hit.score,
      })),
    ]
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    return { total: hits.length, hits };
  },
});

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
    const memory = await remember(context.writer, {
      project: input.project ?? context.defaultProject,
      content: input.content,
      kind: input.kind ?? "note",
      tags: input.tags ?? [],
    });
    return { status: "remembered", memory: { id: memory.id, kind: memory.kind, project: memory.projectId } };
  },
});
