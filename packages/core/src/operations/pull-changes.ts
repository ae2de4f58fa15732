import { limits } from "../limits";
import type { FeedReads } from "../store/store-roles";
import type { Change } from "../store/store-types";
import type { PullResponse } from "../wire/pull";
import { pullVersion } from "../wire/versions";

/** Roughly what a change weighs in the response: its text, plus its other fields. */
function changeWeight(change: Change): number {
  if (change.type === "entry") return change.entry.content.length + 300;
  if (change.type === "memory") return change.memory.content.length + 300;
  return 300;
}

/**
 * Changes after `cursor` in server order, with the next cursor (SPEC section 3).
 * A page holds at most `limit` changes and about 1 MiB of text (always at
 * least one change), so 500 entries of 100 kB each never make a 50 MB answer.
 *
 * Every change of a user has its own seq (one counter per user, and a row
 * changed again takes a new one), so the changes of a page are exactly
 * those with cursor < seq <= cursor + limit: each table is read for that
 * window and no more, whatever the mix of types. The horizon (the user's
 * last committed seq) is read first, so the window is complete up to it.
 *
 * With `device`, the entries and memories that device pushed itself are
 * left out: it has them (a drain of 100,000 entries would otherwise download
 * them all again); the cursor moves past them all the same. A recovery
 * pulls without `device`, and gets everything.
 */
export async function pullChanges(
  deps: { store: FeedReads },
  query: { cursor: number; limit: number; device?: string | undefined; maxBytes?: number },
): Promise<PullResponse> {
  const maxBytes = query.maxBytes ?? limits.bodyBytes;
  const horizon = await deps.store.changeHorizon();
  const upTo = Math.max(query.cursor, Math.min(horizon, query.cursor + query.limit));
  const changes = await deps.store.changesSince(query.cursor, query.limit, {
    excludeDevice: query.device,
    upTo,
  });
  const page: Change[] = [];
  let bytes = 0;
  for (const change of changes) {
    bytes += changeWeight(change);
    if (page.length > 0 && bytes > maxBytes) break;
    page.push(change);
  }
  // Cut by size: go on after the last change sent. Else the whole window was read.
  const cut = page.length < changes.length;
  const cursor = cut ? (page.at(-1)?.seq ?? query.cursor) : upTo;
  return { pullVersion, changes: page, cursor, hasMore: cursor < horizon };
}
