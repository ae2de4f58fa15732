import type { z } from "zod";
import type { StoreWriter } from "../store-port";

/** What a mutation sees while it applies, on the server or in the local store. */
export interface MutationContext {
  tx: StoreWriter;
  userId: string;
  /** Projects and threads known to exist in this transaction: saves lookups per entry of a batch. */
  knownProjects: Set<string>;
  knownThreads: Set<string>;
  /** The pushing device (server side): rows it writes are not pulled back by it. Null locally. */
  deviceId: string | null;
}

/** A fresh context for one transaction of one user. */
export function mutationContext(tx: StoreWriter, userId: string, deviceId: string | null = null): MutationContext {
  return { tx, userId, knownProjects: new Set(), knownThreads: new Set(), deviceId };
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
