import type { Change } from "@cairn/core/store/store-types";
import { columns, type EntryRow, type ThreadRow, toEntry, toThread } from "./row-mappers";
import { type MemoryRow, memoryColumns, toMemory } from "./shared/memory-queries";
import { type SessionRow, sessionColumns, toSession } from "./shared/session-queries";
import { type TaskRow, taskColumns, toTask } from "./shared/task-queries";

/**
 * The tables pull reads: every synced row carries the per-user `seq` of its
 * last change. A new synced type adds one line here (and its table), and both
 * adapters pull it.
 */
export interface ChangeSource {
  table: string;
  columns: string;
  /** Whether rows record the device that wrote them (`changed_by`), so a pull can leave its own out. */
  changedBy: boolean;
  toChange(row: Record<string, unknown>): Change;
}

export const changeSources: ChangeSource[] = [
  {
    table: "threads",
    columns: columns.thread,
    changedBy: false,
    toChange: (row) => ({ seq: Number(row.seq), type: "thread", thread: toThread(row as unknown as ThreadRow) }),
  },
  {
    table: "entries",
    columns: columns.entry,
    changedBy: true,
    toChange: (row) => ({ seq: Number(row.seq), type: "entry", entry: toEntry(row as unknown as EntryRow) }),
  },
  {
    table: "memories",
    columns: memoryColumns,
    changedBy: true,
    toChange: (row) => ({ seq: Number(row.seq), type: "memory", memory: toMemory(row as unknown as MemoryRow) }),
  },
  {
    table: "sessions",
    columns: sessionColumns,
    changedBy: false,
    toChange: (row) => ({ seq: Number(row.seq), type: "session", session: toSession(row as unknown as SessionRow) }),
  },
  {
    table: "tasks",
    columns: taskColumns,
    changedBy: true,
    toChange: (row) => ({ seq: Number(row.seq), type: "task", task: toTask(row as unknown as TaskRow) }),
  },
];
