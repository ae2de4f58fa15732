import type { z } from "zod";
import { AppError } from "../app-error";
import { formatIssues } from "../validate";
import { entryAppend } from "./entry-append";
import type { MutationContext, MutationDefinition } from "./mutation";
import { syncSkip } from "./sync-skip";
import { threadCreate } from "./thread-create";
import { threadDelete } from "./thread-delete";

/** Every mutation the sync protocol knows. A new feature adds its mutations here. */
const definitions: MutationDefinition<z.ZodType>[] = [entryAppend, threadCreate, threadDelete, syncSkip];
const byOp = new Map(definitions.map((definition) => [definition.op, definition]));

export type MutationOp = "entry.append" | "thread.create" | "thread.delete" | "sync.skip";

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
