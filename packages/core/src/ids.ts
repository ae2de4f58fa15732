import { monotonicFactory } from "ulid";

/** A new-id function: ULIDs, monotonic within this process so ids sort in creation order. */
export function createIdGenerator(now: () => number = Date.now): () => string {
  const next = monotonicFactory();
  return () => next(now());
}
