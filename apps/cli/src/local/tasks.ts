import type { Task } from "@cairn/core/task-entities";
import type { CliContext } from "../cli-context";
import { writeThenPush } from "../inline-push";
import { type LocalWriter, localWriter } from "./local-writer";

/** A write that names its task by id or title words: resolved, changed, pushed. */
export async function changeTask(
  context: CliContext,
  ref: string,
  change: (writer: LocalWriter, task: Task) => Promise<Task>,
  open = false,
) {
  const { resolveTask } = await import("@cairn/core/operations/tasks");
  return writeThenPush(
    context,
    async (local) => {
      const writer = localWriter(context, local);
      const task = await resolveTask(writer, ref, { open });
      return change(writer, task);
    },
    (task) => task.id,
  );
}
