import { monotonicFactory } from "ulid";

/**
 * Randomness for ids: Math.random. Ids must be unique, not secret (tokens
 * come from node:crypto elsewhere), and touching crypto costs 3 to 5 ms of
 * every CLI start (measured), a tenth of the start-up budget.
 */
const idRandom = () => Math.random();

/** A new-id function: ULIDs, monotonic within this process so ids sort in creation order. */
export function createIdGenerator(now: () => number = Date.now): () => string {
  const next = monotonicFactory(idRandom);
  return () => next(now());
}
