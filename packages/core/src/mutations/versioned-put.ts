import type { MutationContext } from "./mutation";

/** A row written whole at a new version: a memory, a task. */
interface Versioned {
  id: string;
  version: string;
  deletedAt: string | null;
}

/**
 * The put of a versioned row, the one rule `memory.put` and `task.put` share: the whole state of
 * the row at a new version (create, edit, delete and restore are all puts), and the higher
 * version wins, on the server and in every local store alike. A replay of the same version
 * changes nothing. A write that loses, or that overwrites a version it had not seen, is a
 * conflict: the server's hooks put the loser in the audit log, so it is never silently dropped.
 * A delete passes the destruction guard first.
 */
export async function versionedPut<Row extends Versioned>(
  context: MutationContext,
  put: {
    type: "memory" | "task";
    incoming: Row;
    /** The version the write was made from (null: a new row). */
    baseVersion: string | null;
    current(id: string): Promise<Row | null>;
    /** Writes the row at its seq, after `prepare` (a project or session the row needs). */
    write(row: Row, seq: number): Promise<void>;
    prepare?(existing: Row | null): Promise<void>;
    /** Runs after the write (a new row's session). */
    written?(existing: Row | null): Promise<void>;
  },
): Promise<void> {
  const { hooks } = context;
  const { type, incoming } = put;
  const id = incoming.id;
  const existing = await put.current(id);
  if (existing && existing.version === incoming.version) return; // a replay
  if (existing && existing.version > incoming.version) {
    await hooks?.conflict({ type, id, winner: existing, loser: incoming });
    return;
  }
  const deleting = existing !== null && existing.deletedAt === null && incoming.deletedAt !== null;
  const restoring = existing !== null && existing.deletedAt !== null && incoming.deletedAt === null;
  if (deleting) await hooks?.beforeDelete({ type, id });
  const overwritten = existing !== null && put.baseVersion !== existing.version;
  if (overwritten) await hooks?.conflict({ type, id, winner: incoming, loser: existing });
  await put.prepare?.(existing);
  await put.write(incoming, await context.tx.nextSeq());
  await put.written?.(existing);
  // The version written over, unless the conflict above has recorded it already.
  if (existing && !overwritten) await hooks?.replaced({ type, id, previous: existing });
  if (deleting) await hooks?.deleted({ type, id });
  if (restoring) await hooks?.restored({ type, id });
}
