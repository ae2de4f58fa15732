import type { Memory } from "@cairn/core/entities";
import type { CliContext } from "../cli-context";
import { writeThenPush } from "../inline-push";
import { localWriter } from "./local-writer";
import { sessionForWrite } from "./sessions";

/** `cairn remember`: a memory in the project, tagged with the project's session, then pushed. */
export async function rememberHere(
  context: CliContext,
  input: { project: string; content: string; kind: Memory["kind"]; tags: string[] },
) {
  const { remember } = await import("@cairn/core/operations/memories");
  return writeThenPush(
    context,
    async (local) =>
      remember(localWriter(context, local), { ...input, ...(await sessionForWrite(context, local, input.project)) }),
    (memory) => memory.id,
  );
}
