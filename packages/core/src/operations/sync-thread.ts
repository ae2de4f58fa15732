import * as z from "zod";
import { entryContentSchema, idSchema, isoTimeSchema, plainText, slugSchema } from "../entities";
import type { MutationSink, PendingMutation } from "../mutations/mutation-sink";
import { parseInput } from "../validate";

export const syncThreadInput = z.object({
  project: slugSchema,
  thread: slugSchema,
  name: plainText().max(200).optional(),
  entries: z
    .array(
      z.object({
        id: idSchema,
        content: entryContentSchema,
        author: plainText().max(200).default(""),
        sessionId: idSchema.nullable().default(null),
        createdAt: isoTimeSchema.optional(),
      }),
    )
    .max(500),
});

/**
 * Stores a batch of entries for one thread. Idempotent: entries are keyed by
 * their client ids, so sending the same batch again changes nothing.
 */
export async function syncThread(
  deps: { sink: MutationSink; now: () => Date },
  input: z.input<typeof syncThreadInput>,
) {
  const parsed = parseInput(syncThreadInput, input);
  const now = deps.now().toISOString();
  const mutations: PendingMutation[] = [
    {
      op: "thread.create",
      args: { projectId: parsed.project, threadId: parsed.thread, name: parsed.name, createdAt: now },
    },
    ...parsed.entries.map((entry) => ({
      op: "entry.append" as const,
      args: {
        id: entry.id,
        projectId: parsed.project,
        threadId: parsed.thread,
        sessionId: entry.sessionId,
        author: entry.author,
        content: entry.content,
        createdAt: entry.createdAt ?? now,
      },
    })),
  ];
  await deps.sink.commit(mutations);
  return { project: parsed.project, thread: parsed.thread, received: parsed.entries.length };
}
