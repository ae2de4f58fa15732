import { nameToId } from "@cairn/core/slug";
import type { CliContext } from "../cli-context";
import { detectProject } from "../detect-project";
import { writeThenPush } from "../inline-push";
import { authorOf } from "./author";
import { localSink } from "./local-writer";
import { sessionForWrite } from "./sessions";

/**
 * `cairn thread push`: one verbatim entry in the named or detected project and thread, by the
 * author rule and tagged with the project's session (the rules `thread_push` over `cairn mcp`
 * follows too, through its tool context), then pushed like every CLI write.
 */
export async function pushEntryHere(
  context: CliContext,
  input: { content: string; thread?: string | undefined; project?: string | undefined; author?: string | undefined },
) {
  const { appendEntry } = await import("@cairn/core/operations/append-entry");
  const detected = detectProject(context.cwd);
  const project = input.project ? nameToId(input.project) : detected.project;
  return writeThenPush(
    context,
    async (local) =>
      appendEntry(
        { sink: localSink(context, local), newId: context.newId, now: context.now },
        {
          project,
          ...(await sessionForWrite(context, local, project)),
          thread: input.thread ? nameToId(input.thread) : detected.thread,
          ...(input.thread ? { threadName: input.thread } : {}),
          content: input.content,
          author: authorOf(context, input.author),
        },
      ),
    (entry) => entry.id,
  );
}
