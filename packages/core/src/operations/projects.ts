import type * as z from "zod";
import type { ThreadReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { pagingSchema } from "./paging";

/** `GET /api/projects`: the user's projects with their counts, most recently active first (SPEC section 4). */
export async function listProjects(deps: { store: ThreadReads }, input: z.input<typeof pagingSchema>) {
  const parsed = parseInput(pagingSchema, input);
  return deps.store.listProjects({ limit: parsed.limit, offset: parsed.offset });
}
