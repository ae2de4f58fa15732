import * as z from "zod";
import { AppError } from "../app-error";
import type { MutationSink, PendingMutation } from "../mutations/mutation-sink";
import type { FeedReads } from "../store/store-roles";
import type { Change } from "../store/store-types";
import { changeKey, importMutationsOf, rowOf } from "../synced/synced-types";
import { parseInput } from "../validate";
import type { ExportRow } from "./export-rows";

/** Rows per import request (and per transaction). */
export const importBatchRows = 500;

export const importInput = z.object({
  rows: z
    .array(z.object({ type: z.enum(["session", "thread", "entry", "memory", "task", "session.end"]) }).passthrough())
    .max(2000),
});

/**
 * `POST /api/import`: exported rows written back as the mutations that made
 * them, with their ids, times and versions, through the server's sink (the
 * same checks, audit and change log as any write). Importing a row again is a
 * replay: an entry that exists is skipped, a memory or task at the same
 * version changes nothing, a session or thread that exists stays as it is.
 */
export async function importRows(deps: { sink: MutationSink; store: FeedReads }, input: z.input<typeof importInput>) {
  const parsed = parseInput(importInput, input);
  const rows = parsed.rows as unknown as ExportRow[];
  const mutations = rows.flatMap((row, index) => mutationsOf(row, index));
  const before = await deps.store.changeHorizon();
  await deps.sink.commit(mutations);
  // What this batch wrote shows in the change log after `before`: those rows are new (or newer
  // versions); the others were there already. Another device's writes meanwhile are not in the batch.
  const after = await deps.store.changeHorizon();
  const written = new Set<string>();
  if (after > before) {
    for (const change of await deps.store.changesSince(before, after - before, { upTo: after })) {
      written.add(`${change.type}:${changeKey(change)}`);
    }
  }
  const imported: Record<string, number> = {};
  const created: Record<string, number> = {};
  const unchanged: Record<string, number> = {};
  for (const row of rows) {
    imported[row.type] = (imported[row.type] ?? 0) + 1;
    const target = written.has(rowKey(row)) ? created : unchanged;
    target[row.type] = (target[row.type] ?? 0) + 1;
  }
  return { imported, new: created, unchanged };
}

/** The change-log key of what an imported row writes (its synced type's key; a session's end is its session). */
function rowKey(row: ExportRow): string {
  if (row.type === "session.end") return `session:${row.id}`;
  const change = { seq: 0, ...row } as Change;
  return `${row.type}:${rowOf(change) ? changeKey(change) : ""}`;
}

function mutationsOf(row: ExportRow, index: number): PendingMutation[] {
  if (row.type === "session.end") {
    return [{ op: "session.end", args: { id: row.id, endedAt: row.endedAt, summary: row.summary } }];
  }
  const change = { seq: 0, ...row } as Change;
  if (!rowOf(change)) throw new AppError("invalid_input", `Row ${index + 1} (${row.type}) has no ${row.type} object`);
  return importMutationsOf(change);
}
