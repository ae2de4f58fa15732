import * as z from "zod";
import { idSchema, slugSchema } from "../entities";
import { searchTerms } from "../search-terms";
import type { EntryReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { attribution } from "./attribution";

export const searchEntriesInput = z.object({
  q: z.string().max(10_000, "must be at most 10,000 characters"),
  project: slugSchema.optional(),
  session: idSchema.optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.coerce.number().int().min(0).default(0),
});

/**
 * Full-text search over the user's entries (BM25). Any string is a valid
 * query: one with no words answers an empty list, never an error.
 */
export async function searchEntries(
  deps: { store: EntryReads; now?: () => Date },
  input: z.input<typeof searchEntriesInput>,
) {
  const parsed = parseInput(searchEntriesInput, input);
  const terms = searchTerms(parsed.q);
  if (terms.length === 0) return { hits: [], nextCursor: null };
  const hits = await deps.store.searchEntries({
    ...attribution(parsed, deps.now?.()),
    terms,
    limit: parsed.limit + 1,
    offset: parsed.cursor,
  });
  const hasMore = hits.length > parsed.limit;
  return {
    hits: hasMore ? hits.slice(0, parsed.limit) : hits,
    nextCursor: hasMore ? parsed.cursor + parsed.limit : null,
  };
}
