import type { PendingMutation } from "../mutations/mutation-sink";
import type { UserTx } from "../store/store-port";
import type { Change, EmbeddingRef } from "../store/store-types";
import type { WebhookEvent } from "../webhooks/webhook-entities";

/** The name of a synced type: what a change of the feed says it carries. */
export type SyncedTypeName = Change["type"];

/** The change of one type, and the row it carries. */
export type ChangeOf<Name extends SyncedTypeName> = Extract<Change, { type: Name }>;
export type RowOf<Name extends SyncedTypeName> =
  ChangeOf<Name> extends infer C ? (C extends Record<Name, infer Row> ? Row : never) : never;

/** A filter of rows by project and time (export, recovery, digest). */
export interface RowFilter {
  projectId?: string | undefined;
  since?: string | undefined;
}

/**
 * What a synced type is, everywhere it matters, in one place: its identity, what pull writes
 * into a mirror, what a restore must bring back exactly, what export and webhooks make of it,
 * and what is embedded. The modules that work over every type (sync, recovery, digest, export,
 * import, webhooks, embeddings) go through the registry (synced-types.ts), never a switch of
 * their own. Its table, queries and migrations live in the store.
 */
export interface SyncedType<Name extends SyncedTypeName> {
  type: Name;
  rowOf(change: ChangeOf<Name>): RowOf<Name>;
  /** Its identity everywhere: the outbox's entity id, the digest's and the import's key. */
  key(row: RowOf<Name>): string;
  /** Its project ("" for none) and the time a `since` filter applies to (pull, digest, recovery). */
  attribution(row: RowOf<Name>): { project: string; time: string };
  /** What a restore must bring back exactly, as text (the digest hashes it with the key). */
  fingerprint(row: RowOf<Name>): string;
  /** A versioned row keeps the higher version on pull (a newer local edit wins until it is pushed). */
  version?(row: RowOf<Name>): string;
  /** Reads the mirror's row (to compare versions) and writes a pulled one. */
  current?(tx: UserTx, row: RowOf<Name>): Promise<{ version: string } | null>;
  write(tx: UserTx, row: RowOf<Name>, seq: number): Promise<void>;
  /**
   * Its export record when it passes the filter (deleted rows are left out), and in which pass
   * (1: the containers, sessions and threads, before 2: what they hold).
   */
  exportPass: 1 | 2;
  exported(row: RowOf<Name>, filter: RowFilter): Record<string, unknown> | null;
  /** Its lines of the Cypher export (a parameter, then a statement of MERGEs: see portability/cypher.ts). */
  cypher(row: RowOf<Name>): string[];
  /** The mutations that write an exported row back (`cairn import`), with its ids, times and versions. */
  importMutations(row: RowOf<Name>): PendingMutation[];
  /** The webhook event a change of it stands for, when there is one. */
  feedEvent(row: RowOf<Name>): WebhookEvent | null;
  /** What is embedded for semantic search, when it is. */
  embeddable(row: RowOf<Name>): { ref: EmbeddingRef; text: string; deleted: boolean } | null;
}

export function syncedType<Name extends SyncedTypeName>(definition: SyncedType<Name>): SyncedType<Name> {
  return definition;
}

/** Whether a row passes an export's filter: live, in the project (a row of no project passes any), since then. */
export function passes(row: { deletedAt: string | null }, project: string | null, time: string, filter: RowFilter) {
  if (row.deletedAt !== null) return false;
  if (filter.projectId !== undefined && project !== null && project !== filter.projectId) return false;
  return time >= (filter.since ?? "");
}

/** A time or "" (a fingerprint's field). */
export function text(value: string | null): string {
  return value ?? "";
}
