import type { MutationOp } from "./registry";

export interface PendingMutation {
  op: MutationOp;
  args: unknown;
}

/**
 * Where write operations send their mutations. The server's sink applies them
 * in a transaction; the CLI's sink applies them to the local store and queues
 * them in the outbox in the same transaction. Bound to one user.
 */
export interface MutationSink {
  commit(mutations: PendingMutation[]): Promise<void>;
}
