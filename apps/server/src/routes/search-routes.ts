import { searchMemories } from "@cairn/core/operations/memories";
import { searchEntries, searchEntriesInput } from "@cairn/core/operations/search-entries";
import { parseInput } from "@cairn/core/validate";
import type { FastifyInstance } from "fastify";
import * as z from "zod";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

const searchQuery = searchEntriesInput.extend({ type: z.enum(["entry", "memory", "task"]).optional() });

/**
 * `GET /api/search`: entries and memories (tasks join when they exist). With
 * no `type`, the two ranked lists are interleaved, best of each first; one
 * fused ranking across types comes with unified search.
 */
export function searchRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/search", async (request) => {
    const { type, ...input } = parseInput(searchQuery, request.query);
    const userId = userOf(request).id;
    if (type === "task") return { hits: [], nextCursor: null };
    if (type === "entry") return searchEntries(deps, userId, input);
    const memories = await searchMemories(deps, userId, {
      q: input.q,
      project: input.project,
      session: input.session,
      since: input.since,
      until: input.until,
      limit: input.limit,
      offset: input.cursor,
    });
    if (type === "memory") return { hits: memories.hits, nextCursor: null };
    const entries = await searchEntries(deps, userId, input);
    const hits: unknown[] = [];
    for (
      let index = 0;
      hits.length < input.limit && (index < entries.hits.length || index < memories.hits.length);
      index++
    ) {
      if (entries.hits[index]) hits.push(entries.hits[index]);
      if (memories.hits[index] && hits.length < input.limit) hits.push(memories.hits[index]);
    }
    return { hits, nextCursor: entries.nextCursor };
  });
}
