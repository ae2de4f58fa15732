import * as z from "zod";
import { AppError } from "../app-error";
import { idSchema, slugSchema } from "../entities";
import type { MutationSink } from "../mutations/mutation-sink";
import { trashRetentionMs } from "../retention";
import type { EntryReads, MemoryReads, SafetyReads, TaskReads, TrashReads } from "../store/store-roles";

/** What the trash reads: its list, and the rows it restores. */
type TrashRowReads = TrashReads & EntryReads & MemoryReads & TaskReads;

import type { Alert, TrashItem, TrashType } from "../store/store-types";
import { parseInput } from "../validate";
import { restoreMemory } from "./memories";
import { pagingSchema } from "./paging";
import { restoreTask } from "./tasks";

export { trashRetentionMs };

export const trashItemInput = z.object({
  /** Needed only when the id alone matches several rows of the trash. */
  type: z.enum(["entry", "thread", "memory", "task"]).optional(),
  id: z.union([idSchema, slugSchema]),
  project: slugSchema.optional(),
});

export const trashListInput = pagingSchema.extend({ project: slugSchema.optional() });

export async function listTrash(deps: { store: TrashRowReads }, input: z.input<typeof trashListInput>) {
  const parsed = parseInput(trashListInput, input);
  return deps.store.listTrash({ projectId: parsed.project, limit: parsed.limit, offset: parsed.offset });
}

/** Moves one entry to the trash. */
export async function deleteEntry(deps: { store: TrashRowReads; sink: MutationSink; now: () => Date }, id: string) {
  const entry = await deps.store.getEntry(parseInput(idSchema, id));
  if (!entry || entry.deletedAt !== null) throw new AppError("not_found", `No entry ${id}`);
  const deletedAt = deps.now().toISOString();
  await deps.sink.commit([{ op: "entry.delete", args: { id: entry.id, deletedAt } }]);
  return { id: entry.id, deletedAt };
}

type RestoreDeps = {
  store: TrashRowReads;
  sink: MutationSink;
  now: () => Date;
  newId: () => string;
  nextVersion: () => string;
};

/** Takes a row out of the trash (a memory gets a new version; entries and threads a restore). */
export async function restoreFromTrash(
  deps: RestoreDeps,
  input: z.input<typeof trashItemInput>,
): Promise<{ type: TrashType; id: string; restored: true }> {
  return restoreItem(deps, await findInTrash(deps, parseInput(trashItemInput, input)));
}

async function restoreItem(
  deps: RestoreDeps,
  item: TrashItem,
): Promise<{ type: TrashType; id: string; restored: true }> {
  if (item.type === "memory") await restoreMemory(deps, item.id);
  else if (item.type === "task") await restoreTask(deps, item.id);
  else if (item.type === "entry") await deps.sink.commit([{ op: "entry.restore", args: { id: item.id } }]);
  else {
    await deps.sink.commit([
      {
        op: "thread.restore",
        args: { projectId: item.projectId, threadId: item.id, restoredAt: deps.now().toISOString() },
      },
    ]);
  }
  return { type: item.type, id: item.id, restored: true };
}

/** One alert of the user, or `not_found` (also for another user's id). */
async function findAlert(store: SafetyReads, id: string): Promise<Alert> {
  for (let offset = 0; ; offset += 500) {
    const page = await store.listAlerts({ limit: 500, offset });
    const found = page.alerts.find((alert) => alert.id === id);
    if (found) return found;
    if (page.alerts.length < 500) throw new AppError("not_found", `No alert ${id}`);
  }
}

/**
 * Restores the whole burst a destruction alert counted: every row of its deleted ids still in the
 * trash, read from the trash once. Safe to repeat: a row restored already (or purged) is no longer
 * there and is reported as missing, not as a failure. Each restore is audited as one.
 */
export async function restoreBurst(deps: RestoreDeps & { store: SafetyReads }, alertId: string) {
  const alert = await findAlert(deps.store, parseInput(idSchema, alertId));
  const wanted = new Set(alert.deletedIds);
  const inTrash: TrashItem[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await deps.store.listTrash({ projectId: undefined, limit: 500, offset });
    inTrash.push(...page.items.filter((item) => wanted.has(item.id)));
    if (page.items.length < 500) break;
  }
  const restored: { type: TrashType; id: string }[] = [];
  for (const item of inTrash) {
    await restoreItem(deps, item);
    restored.push({ type: item.type, id: item.id });
  }
  const found = new Set(inTrash.map((item) => item.id));
  return { alertId: alert.id, restored, missing: alert.deletedIds.filter((id) => !found.has(id)) };
}

/** Deletes one row of the trash for good. */
export async function purgeFromTrash(
  deps: { store: TrashRowReads; sink: MutationSink },
  input: z.input<typeof trashItemInput>,
) {
  const parsed = parseInput(trashItemInput, input);
  const item = await findInTrash(deps, parsed);
  await deps.sink.commit([
    {
      op: "trash.purge",
      args: { type: item.type, id: item.id, ...(item.projectId ? { projectId: item.projectId } : {}) },
    },
  ]);
  return { type: item.type, id: item.id, purged: true as const };
}

/**
 * The one row of the trash an id names: the type and project narrow it when
 * the id alone matches several (a thread name in two projects, say).
 */
async function findInTrash(
  deps: { store: TrashRowReads },
  wanted: { type?: TrashType | undefined; id: string; project?: string | undefined },
): Promise<TrashItem> {
  const matches: TrashItem[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await deps.store.listTrash({ projectId: wanted.project, limit: 500, offset });
    matches.push(...page.items.filter((item) => item.id === wanted.id && (!wanted.type || item.type === wanted.type)));
    if (page.items.length < 500) break;
  }
  const what = `${wanted.type ?? "row"} ${wanted.id}`;
  if (matches.length === 0) throw new AppError("not_found", `No ${what} in the trash`);
  if (matches.length > 1) {
    throw new AppError("conflict", `${matches.length} rows in the trash match ${what}`, {
      details: { matches: matches.map((item) => ({ type: item.type, project: item.projectId })) },
      hint: "Name one with --type and --project.",
    });
  }
  return matches[0] as TrashItem;
}
