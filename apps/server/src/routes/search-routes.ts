import { searchEntries, searchEntriesInput } from "@cairn/core/operations/search-entries";
import { parseInput } from "@cairn/core/validate";
import type { FastifyInstance } from "fastify";
import * as z from "zod";
import { userOf } from "../auth";
import type { ServerDeps } from "../server-deps";

const searchQuery = searchEntriesInput.extend({ type: z.enum(["entry", "memory", "task"]).optional() });

/** `GET /api/search`: entries today; memories and tasks join when they exist. */
export function searchRoutes(app: FastifyInstance, deps: ServerDeps): void {
  app.get("/api/search", async (request) => {
    const { type, ...input } = parseInput(searchQuery, request.query);
    if (type !== undefined && type !== "entry") return { hits: [], nextCursor: null };
    return searchEntries(deps, userOf(request).id, input);
  });
}
