import type { PendingMutation } from "../mutations/mutation-sink";
import type { UserTx } from "../store/store-port";
import type { Change } from "../store/store-types";
import { entryType } from "./entry-type";
import { memoryType } from "./memory-type";
import { sessionType } from "./session-type";
import type { SyncedType, SyncedTypeName } from "./synced-type";
import { taskType } from "./task-type";
import { threadType } from "./thread-type";

/**
 * Every synced type, by name (SPEC section 3). Adding one: its file beside these (what it is),
 * its table, queries and change source in the store (where it lives), and its mutations; the
 * compiler then names every place that must know it.
 */
export const syncedTypes: { [Name in SyncedTypeName]: SyncedType<Name> } = {
  thread: threadType,
  entry: entryType,
  session: sessionType,
  memory: memoryType,
  task: taskType,
};

/** The types in the order the digest and a recovery's counts list them. */
export const syncedTypeNames = Object.keys(syncedTypes) as SyncedTypeName[];

// Each helper below works on any change: the registry's functions, applied to the row it carries.
// (TypeScript cannot relate a change's type to its row across the union, hence the one cast here.)
type AnyType = SyncedType<SyncedTypeName> & { rowOf(change: Change): never };

function entry(change: Change): { type: AnyType; row: never } {
  const type = syncedTypes[change.type] as unknown as AnyType;
  return { type, row: type.rowOf(change) };
}

/** The row a change carries (undefined in a malformed import row). */
export function rowOf(change: Change): unknown {
  return entry(change).row;
}

/** A change's key (the outbox's entity id of its row). */
export function changeKey(change: Change): string {
  const { type, row } = entry(change);
  return type.key(row);
}

export function changeAttribution(change: Change): { project: string; time: string } {
  const { type, row } = entry(change);
  return type.attribution(row);
}

export function changeFingerprint(change: Change): string {
  const { type, row } = entry(change);
  return type.fingerprint(row);
}

export function changeEvent(change: Change) {
  const { type, row } = entry(change);
  return type.feedEvent(row);
}

export function changeEmbeddable(change: Change) {
  const { type, row } = entry(change);
  return type.embeddable(row);
}

/** A change as an export record, when it passes the filter. */
export function changeExported(change: Change, filter: { projectId?: string | undefined; since?: string | undefined }) {
  const { type, row } = entry(change);
  return type.exported(row, filter);
}

/** A change's row as lines of the Cypher export. */
export function cypherOf(change: Change): string[] {
  const { type, row } = entry(change);
  return type.cypher(row);
}

/** The mutations that write a change's row back (an import). */
export function importMutationsOf(change: Change): PendingMutation[] {
  const { type, row } = entry(change);
  return type.importMutations(row);
}

/** A change's row's version, when its type is versioned. */
export function changeVersion(change: Change): string | null {
  const { type, row } = entry(change);
  return type.version ? type.version(row) : null;
}

/** The mirror's row of a change, to compare versions with (null: none, or the type is not versioned). */
export async function currentOf(tx: UserTx, change: Change): Promise<{ version: string } | null> {
  const { type, row } = entry(change);
  return type.current ? type.current(tx, row) : null;
}

/** Writes a pulled change's row into a mirror, at its seq. */
export function writeChange(tx: UserTx, change: Change): Promise<void> {
  const { type, row } = entry(change);
  return type.write(tx, row, change.seq);
}
