import * as z from "zod";
import { entryContentSchema, idSchema, plainText, slugSchema } from "../entities";
import type { EntryAppendArgs } from "../mutations/entry-append";
import type { MutationSink } from "../mutations/mutation-sink";
import { parseInput } from "../validate";

export const appendEntryInput = z.object({
  project: slugSchema,
  thread: slugSchema,
  threadName: plainText().max(200).optional(),
  content: entryContentSchema,
  author: plainText().max(200).default(""),
  sessionId: idSchema.nullable().default(null),
  /** The agent of the session, when this entry starts it. */
  sessionAgent: plainText().max(200).optional(),
});
export type AppendEntryInput = z.input<typeof appendEntryInput>;

export interface WriteDeps {
  sink: MutationSink;
  newId: () => string;
  now: () => Date;
}

/** Appends one verbatim entry to a thread, creating the thread when missing. */
export async function appendEntry(deps: WriteDeps, input: AppendEntryInput) {
  const parsed = parseInput(appendEntryInput, input);
  const args: EntryAppendArgs = {
    id: deps.newId(),
    projectId: parsed.project,
    threadId: parsed.thread,
    threadName: parsed.threadName,
    sessionId: parsed.sessionId,
    ...(parsed.sessionAgent ? { sessionAgent: parsed.sessionAgent } : {}),
    author: parsed.author,
    content: parsed.content,
    createdAt: deps.now().toISOString(),
  };
  await deps.sink.commit([{ op: "entry.append", args }]);
  return {
    id: args.id,
    thread: args.threadId,
    project: args.projectId,
    session: args.sessionId ?? null,
    createdAt: args.createdAt,
  };
}
