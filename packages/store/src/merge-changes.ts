import type { Change } from "@cairn/core/store/store-types";

/** Merges per-table change lists (each sorted by seq) into the first `limit` in server order. */
export function mergeChanges(lists: Change[][], limit: number): Change[] {
  return lists
    .flat()
    .sort((left, right) => left.seq - right.seq)
    .slice(0, limit);
}
