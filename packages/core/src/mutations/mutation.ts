import type { z } from "zod";
import type { UserTx } from "../store/store-port";

/** A row a mutation touches, as the audit log and the delete guard name it. */
export interface MutationTarget {
  type: "entry" | "thread" | "memory" | "session" | "task";
  id: string;
}

/**
 * What the server adds around mutations (null in a local store): the delete
 * guard (which may refuse with `locked`), and the audit log of deletes,
 * restores, purges and conflicts.
 */
export interface MutationHooks {
  beforeDelete(target: MutationTarget): Promise<void>;
  deleted(target: MutationTarget): Promise<void>;
  restored(target: MutationTarget): Promise<void>;
  purged(target: MutationTarget): Promise<void>;
  conflict(conflict: MutationTarget & { winner: unknown; loser: unknown }): Promise<void>;
  /** A versioned row was written over (an edit, a delete, a restore): `previous` is the version it replaced. */
  replaced(change: MutationTarget & { previous: unknown }): Promise<void>;
}

/** What a mutation sees while it applies, on the server or in the local store: one user's transaction. */
export interface MutationContext {
  tx: UserTx;
  /** Projects and threads known to exist in this transaction: saves lookups per entry of a batch. */
  knownProjects: Set<string>;
  knownThreads: Set<string>;
  knownSessions: Set<string>;
  /** The pushing device (server side): rows it writes are not pulled back by it. Null locally. */
  deviceId: string | null;
  hooks: MutationHooks | null;
}

/** A fresh context for one transaction of one user. */
export function mutationContext(
  tx: UserTx,
  deviceId: string | null = null,
  hooks: MutationHooks | null = null,
): MutationContext {
  return { tx, knownProjects: new Set(), knownThreads: new Set(), knownSessions: new Set(), deviceId, hooks };
}

/**
 * A named, versioned change. The same definition applies a write to the local
 * store (optimistically, with its outbox row) and on the server (when pushed),
 * so the two can never disagree about what a mutation means.
 */
export interface MutationDefinition<Schema extends z.ZodType> {
  op: string;
  args: Schema;
  /** Ids the mutation touches, stored on the outbox row (for `synced` flags). */
  entityId(args: z.infer<Schema>): string;
  apply(context: MutationContext, args: z.infer<Schema>): Promise<void>;
}

export function defineMutation<Schema extends z.ZodType>(
  definition: MutationDefinition<Schema>,
): MutationDefinition<Schema> {
  return definition;
}
