import type { z } from "zod";
import { slugSchema } from "../entities";
import type { EntryReads, ThreadReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { pagingSchema } from "./paging";
import { resolveThread } from "./resolve-thread";

export const getThreadInput = pagingSchema.extend({
  thread: slugSchema,
  project: slugSchema.optional(),
  /** Without `project`: the project to take the thread from when several hold it. */
  preferredProject: slugSchema.optional(),
});

/** A thread with one page of its entries, oldest first, and the total count. */
export async function getThread(deps: { store: ThreadReads & EntryReads }, input: z.input<typeof getThreadInput>) {
  const parsed = parseInput(getThreadInput, input);
  const thread = await resolveThread(deps.store, parsed);
  const page = await deps.store.listEntries({
    projectId: thread.projectId,
    threadId: thread.id,
    limit: parsed.limit,
    offset: parsed.offset,
  });
  return { thread, entries: page.entries, total: page.total };
}
