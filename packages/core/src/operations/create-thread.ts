import * as z from "zod";
import { plainText, slugSchema } from "../entities";
import { parseInput } from "../validate";
import type { WriteDeps } from "./append-entry";

export const createThreadInput = z.object({
  project: slugSchema,
  thread: slugSchema,
  name: plainText().max(200).optional(),
});

/** Creates an empty thread; creating one that exists changes nothing. */
export async function createThread(deps: Omit<WriteDeps, "newId">, input: z.input<typeof createThreadInput>) {
  const parsed = parseInput(createThreadInput, input);
  const createdAt = deps.now().toISOString();
  await deps.sink.commit([
    {
      op: "thread.create",
      args: { projectId: parsed.project, threadId: parsed.thread, name: parsed.name, createdAt },
    },
  ]);
  return { thread: parsed.thread, project: parsed.project, createdAt };
}
