import * as z from "zod";
import { AppError } from "../app-error";
import type { MutationSink, PendingMutation } from "../mutations/mutation-sink";
import type { FeedReads } from "../store/store-roles";
import type { Change } from "../store/store-types";
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
      written.add(`${change.type}:${changeId(change)}`);
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

function changeId(change: Change): string {
  switch (change.type) {
    case "thread":
      return `${change.thread.projectId}/${change.thread.id}`;
    case "entry":
      return change.entry.id;
    case "memory":
      return change.memory.id;
    case "session":
      return change.session.id;
    case "task":
      return change.task.id;
  }
}

/** The change-log key of what an imported row writes. */
function rowKey(row: ExportRow): string {
  switch (row.type) {
    case "session":
      return `session:${row.session?.id}`;
    case "session.end":
      return `session:${row.id}`;
    case "thread":
      return `thread:${row.thread?.projectId}/${row.thread?.id}`;
    case "entry":
      return `entry:${row.entry?.id}`;
    case "memory":
      return `memory:${row.memory?.id}`;
    case "task":
      return `task:${row.task?.id}`;
  }
}

function mutationsOf(row: ExportRow, index: number): PendingMutation[] {
  const missing = () => new AppError("invalid_input", `Row ${index + 1} (${row.type}) has no ${row.type} object`);
  switch (row.type) {
    case "session": {
      const { session } = row;
      if (!session) throw missing();
      return [
        {
          op: "session.start",
          args: { id: session.id, projectId: session.projectId, agent: session.agent, startedAt: session.startedAt },
        },
      ];
    }
    case "session.end":
      return [{ op: "session.end", args: { id: row.id, endedAt: row.endedAt, summary: row.summary } }];
    case "thread": {
      const { thread } = row;
      if (!thread) throw missing();
      return [
        {
          op: "thread.create",
          args: { projectId: thread.projectId, threadId: thread.id, name: thread.name, createdAt: thread.createdAt },
        },
      ];
    }
    case "entry": {
      const { entry } = row;
      if (!entry) throw missing();
      return [
        {
          op: "entry.append",
          args: {
            id: entry.id,
            projectId: entry.projectId,
            threadId: entry.threadId,
            sessionId: entry.sessionId,
            author: entry.author,
            content: entry.content,
            createdAt: entry.createdAt,
          },
        },
      ];
    }
    case "memory": {
      const { memory } = row;
      if (!memory) throw missing();
      return [{ op: "memory.put", args: { ...memory, baseVersion: null } }];
    }
    case "task": {
      const { task } = row;
      if (!task) throw missing();
      return [{ op: "task.put", args: { ...task, baseVersion: null } }];
    }
  }
}
