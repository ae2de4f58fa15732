import type { z } from "zod";
import { AppError } from "../app-error";
import { idSchema, slugSchema } from "../entities";
import type { EntryReads, ThreadReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { pagingSchema } from "./paging";
import { resolveThread } from "./resolve-thread";

export const getThreadInput = pagingSchema.extend({
  thread: slugSchema,
  project: slugSchema.optional(),
  /** Without `project`: the project to take the thread from when several hold it. */
  preferredProject: slugSchema.optional(),
  /** An entry of the thread (a permalink's): the page is the one around it instead of `offset`'s. */
  around: idSchema.optional(),
});

/**
 * A thread with one page of its entries, oldest first, and the total count. With `around`, the
 * page centred on that entry, and its `offset` (a permalink into a long thread lands on its entry).
 */
export async function getThread(deps: { store: ThreadReads & EntryReads }, input: z.input<typeof getThreadInput>) {
  const parsed = parseInput(getThreadInput, input);
  const thread = await resolveThread(deps.store, parsed);
  let offset = parsed.offset;
  if (parsed.around !== undefined) {
    const position = await deps.store.entryPosition({
      projectId: thread.projectId,
      threadId: thread.id,
      entryId: parsed.around,
    });
    if (position === null) throw new AppError("not_found", `No entry ${parsed.around} in thread ${thread.id}`);
    offset = Math.max(0, position - Math.floor(parsed.limit / 2));
  }
  const page = await deps.store.listEntries({
    projectId: thread.projectId,
    threadId: thread.id,
    limit: parsed.limit,
    offset,
  });
  return { thread, entries: page.entries, total: page.total, ...(parsed.around !== undefined ? { offset } : {}) };
}
