import { limits } from "../limits";
import type { Change, Store } from "../store-port";
import type { PullResponse } from "../wire/pull";
import { pullVersion } from "../wire/versions";

/** Roughly what a change weighs in the response: its text, plus its other fields. */
function changeWeight(change: Change): number {
  return change.type === "entry" ? change.entry.content.length + 300 : 300;
}

/**
 * Changes after `cursor` in server order, with the next cursor (SPEC section 3).
 * A page holds at most `limit` changes and about 1 MiB of text (always at
 * least one change), so 500 entries of 100 kB each never make a 50 MB answer.
 */
export async function pullChanges(
  deps: { store: Store },
  userId: string,
  query: { cursor: number; limit: number; maxBytes?: number },
): Promise<PullResponse> {
  const maxBytes = query.maxBytes ?? limits.bodyBytes;
  // One extra row tells whether more follow without a count query.
  const changes = await deps.store.changesSince(userId, query.cursor, query.limit + 1);
  const page: Change[] = [];
  let bytes = 0;
  for (const change of changes.slice(0, query.limit)) {
    bytes += changeWeight(change);
    if (page.length > 0 && bytes > maxBytes) break;
    page.push(change);
  }
  const hasMore = changes.length > page.length;
  const cursor = page.at(-1)?.seq ?? query.cursor;
  return { pullVersion, changes: page, cursor, hasMore };
}
