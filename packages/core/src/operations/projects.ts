import type * as z from "zod";
import type { StoreReader } from "../store-port";
import { parseInput } from "../validate";
import { pagingSchema } from "./paging";

/** `GET /api/projects`: the user's projects with their counts, most recently active first (SPEC section 4). */
export async function listProjects(deps: { store: StoreReader }, userId: string, input: z.input<typeof pagingSchema>) {
  const parsed = parseInput(pagingSchema, input);
  return deps.store.listProjects(userId, { limit: parsed.limit, offset: parsed.offset });
}
