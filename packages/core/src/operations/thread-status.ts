import * as z from "zod";
import { slugSchema } from "../entities";
import type { EntryReads, ThreadReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { resolveThread } from "./resolve-thread";

export const threadStatusInput = z.object({ thread: slugSchema, project: slugSchema.optional() });

/** How far a thread has got: its entry count and last entry. */
export async function threadStatus(
  deps: { store: ThreadReads & EntryReads },
  input: z.input<typeof threadStatusInput>,
) {
  const parsed = parseInput(threadStatusInput, input);
  const thread = await resolveThread(deps.store, parsed);
  const stats = await deps.store.threadStats(thread.projectId, thread.id);
  return { thread: thread.id, project: thread.projectId, status: thread.status, ...stats };
}
