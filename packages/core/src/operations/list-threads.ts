import * as z from "zod";
import { idSchema, slugSchema } from "../entities";
import type { ThreadReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { attribution } from "./attribution";
import { pagingSchema } from "./paging";

export const listThreadsInput = pagingSchema.extend({
  project: slugSchema.optional(),
  session: idSchema.optional(),
  since: z.string().optional(),
  until: z.string().optional(),
});

/**
 * The user's threads, newest activity first, with counts; all projects unless
 * one is named; with a session or a time window, those with entries in it.
 */
export async function listThreads(
  deps: { store: ThreadReads; now?: () => Date },
  input: z.input<typeof listThreadsInput>,
) {
  const parsed = parseInput(listThreadsInput, input);
  return deps.store.listThreads({
    ...attribution(parsed, deps.now?.()),
    limit: parsed.limit,
    offset: parsed.offset,
  });
}
