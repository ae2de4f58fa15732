import * as z from "zod";
import { slugSchema } from "../entities";
import type { MutationSink } from "../mutations/mutation-sink";
import type { ThreadReads } from "../store/store-roles";
import { parseInput } from "../validate";
import { resolveThread } from "./resolve-thread";

export const deleteThreadInput = z.object({ thread: slugSchema, project: slugSchema.optional() });

/** Soft-deletes a thread (a tombstone that syncs); its entries stop showing in lists and search. */
export async function deleteThread(
  deps: { store: ThreadReads; sink: MutationSink; now: () => Date },
  input: z.input<typeof deleteThreadInput>,
) {
  const parsed = parseInput(deleteThreadInput, input);
  const thread = await resolveThread(deps.store, parsed);
  const deletedAt = deps.now().toISOString();
  await deps.sink.commit([
    { op: "thread.delete", args: { projectId: thread.projectId, threadId: thread.id, deletedAt } },
  ]);
  return { thread: thread.id, project: thread.projectId, deletedAt };
}
