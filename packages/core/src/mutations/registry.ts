import type { z } from "zod";
import { AppError } from "../app-error";
import { formatIssues } from "../validate";
import { entryAppend } from "./entry-append";
import { entryDelete, entryRestore } from "./entry-delete";
import { memoryPut } from "./memory-put";
import type { MutationContext, MutationDefinition } from "./mutation";
import { sessionEnd, sessionStart } from "./session-mutations";
import { syncSkip } from "./sync-skip";
import { threadCreate } from "./thread-create";
import { threadDelete } from "./thread-delete";
import { threadRestore } from "./thread-restore";
import { trashPurge } from "./trash-purge";

/** Every mutation the sync protocol knows. A new feature adds its mutations here. */
const definitions: MutationDefinition<z.ZodType>[] = [
  entryAppend,
  entryDelete,
  entryRestore,
  threadCreate,
  threadDelete,
  threadRestore,
  memoryPut,
  sessionStart,
  sessionEnd,
  trashPurge,
  syncSkip,
];
const byOp = new Map(definitions.map((definition) => [definition.op, definition]));

export type MutationOp =
  | "entry.append"
  | "entry.delete"
  | "entry.restore"
  | "thread.create"
  | "thread.delete"
  | "thread.restore"
  | "memory.put"
  | "session.start"
  | "session.end"
  | "trash.purge"
  | "sync.skip";

/**
 * Validates and applies one mutation, and returns the id of the entity it
 * touched (the outbox's `synced` bookkeeping). Throws AppError (invalid_input)
 * for an unknown op or invalid args.
 */
export async function applyMutation(
  context: MutationContext,
  op: string,
  args: unknown,
): Promise<{ entityId: string }> {
  const definition = byOp.get(op);
  if (!definition) throw new AppError("invalid_input", `Unknown mutation "${op}"`);
  const parsed = definition.args.safeParse(args);
  if (!parsed.success) {
    throw new AppError("invalid_input", `Invalid ${op}: ${formatIssues(parsed.error)}`, {
      details: { issues: parsed.error.issues },
    });
  }
  await definition.apply(context, parsed.data);
  return { entityId: definition.entityId(parsed.data) };
}
