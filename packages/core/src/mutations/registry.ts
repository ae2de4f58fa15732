import type { z } from "zod";
import { AppError } from "../app-error";
import { formatIssues } from "../validate";
import type { MutationContext, MutationDefinition } from "./mutation";

type Loader = () => Promise<MutationDefinition<z.ZodType>>;

/**
 * Every mutation the sync protocol knows, loaded on first use: a CLI write
 * builds the schemas of its own mutation only (every module's zod schemas at
 * start cost each command about a millisecond, measured). A new feature adds
 * its mutations here.
 */
const loaders: Record<MutationOp, Loader> = {
  "entry.append": async () => (await import("./entry-append")).entryAppend,
  "entry.delete": async () => (await import("./entry-delete")).entryDelete,
  "entry.restore": async () => (await import("./entry-delete")).entryRestore,
  "thread.create": async () => (await import("./thread-create")).threadCreate,
  "thread.delete": async () => (await import("./thread-delete")).threadDelete,
  "thread.restore": async () => (await import("./thread-restore")).threadRestore,
  "memory.put": async () => (await import("./memory-put")).memoryPut,
  "task.put": async () => (await import("./task-put")).taskPut,
  "session.start": async () => (await import("./session-mutations")).sessionStart,
  "session.end": async () => (await import("./session-mutations")).sessionEnd,
  "trash.purge": async () => (await import("./trash-purge")).trashPurge,
  "sync.skip": async () => (await import("./sync-skip")).syncSkip,
};
const loaded = new Map<string, MutationDefinition<z.ZodType>>();

async function definitionOf(op: string): Promise<MutationDefinition<z.ZodType> | undefined> {
  const known = loaded.get(op);
  if (known) return known;
  if (!Object.hasOwn(loaders, op)) return undefined;
  const definition = await loaders[op as MutationOp]();
  loaded.set(op, definition);
  return definition;
}

export type MutationOp =
  | "entry.append"
  | "entry.delete"
  | "entry.restore"
  | "thread.create"
  | "thread.delete"
  | "thread.restore"
  | "memory.put"
  | "task.put"
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
  const definition = await definitionOf(op);
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
