import type { z } from "zod";
import { slugSchema } from "../entities";
import type { StoreReader } from "../store-port";
import { parseInput } from "../validate";
import { pagingSchema } from "./paging";

export const listThreadsInput = pagingSchema.extend({ project: slugSchema.optional() });

/** The user's threads, newest activity first, with counts; all projects unless one is named. */
export async function listThreads(
  deps: { store: StoreReader },
  userId: string,
  input: z.input<typeof listThreadsInput>,
) {
  const parsed = parseInput(listThreadsInput, input);
  return deps.store.listThreads(userId, { projectId: parsed.project, limit: parsed.limit, offset: parsed.offset });
}
