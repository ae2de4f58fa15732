import type { Change } from "@cairn/core/store/store-types";
import type { SyncedTypeName } from "@cairn/core/synced/synced-type";
import { columns, type EntryRow, type ThreadRow, toEntry, toThread } from "./row-mappers";
import { type MemoryRow, memoryColumns, toMemory } from "./shared/memory-queries";
import { type SessionRow, sessionColumns, toSession } from "./shared/session-queries";
import { type TaskRow, taskColumns, toTask } from "./shared/task-queries";

/**
 * Where each synced type (core/synced) lives: its table, whose every row carries the per-user
 * `seq` of its last change. Pull, the digest and a recovery's counts read these; a new synced
 * type adds its line (the compiler asks for it), and both adapters pull it.
 */
export interface ChangeSource {
  type: SyncedTypeName;
  table: string;
  columns: string;
  /** The column a `since` filter applies to (the type's attribution time). */
  time: string;
  /** Whether rows record the device that wrote them (`changed_by`), so a pull can leave its own out. */
  changedBy: boolean;
  /** An integer key the table is read by in pages (`pk`, on both engines), where a user may have very many rows. */
  pagedBy?: "pk";
  toChange(row: Record<string, unknown>): Change;
}

const sources: { [Name in SyncedTypeName]: ChangeSource & { type: Name } } = {
  thread: {
    type: "thread",
    table: "threads",
    time: "updated_at",
    columns: columns.thread,
    changedBy: false,
    toChange: (row) => ({ seq: Number(row.seq), type: "thread", thread: toThread(row as unknown as ThreadRow) }),
  },
  entry: {
    type: "entry",
    table: "entries",
    time: "created_at",
    columns: columns.entry,
    changedBy: true,
    pagedBy: "pk",
    toChange: (row) => ({ seq: Number(row.seq), type: "entry", entry: toEntry(row as unknown as EntryRow) }),
  },
  memory: {
    type: "memory",
    table: "memories",
    time: "updated_at",
    columns: memoryColumns,
    changedBy: true,
    toChange: (row) => ({ seq: Number(row.seq), type: "memory", memory: toMemory(row as unknown as MemoryRow) }),
  },
  session: {
    type: "session",
    table: "sessions",
    time: "started_at",
    columns: sessionColumns,
    changedBy: false,
    toChange: (row) => ({ seq: Number(row.seq), type: "session", session: toSession(row as unknown as SessionRow) }),
  },
  task: {
    type: "task",
    table: "tasks",
    time: "updated_at",
    columns: taskColumns,
    changedBy: true,
    toChange: (row) => ({ seq: Number(row.seq), type: "task", task: toTask(row as unknown as TaskRow) }),
  },
};

export const changeSources: ChangeSource[] = Object.values(sources);
