import { limits } from "../limits";
import type { Change, Store } from "../store-port";
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
 * With `device`, the entries that device pushed itself are left out: it has
 * them (a drain of 100,000 entries would otherwise download them all again).
 * The cursor then still moves past them: to the last change returned when
 * more follow, else to the user's change horizon read before the query.
 * A recovery pulls without `device`, and gets everything.
 */
export async function pullChanges(
  deps: { store: Store },
  userId: string,
  query: { cursor: number; limit: number; device?: string | undefined; maxBytes?: number },
): Promise<PullResponse> {
  const maxBytes = query.maxBytes ?? limits.bodyBytes;
  // Read first: every change up to the horizon is committed, so the page below is complete up to it.
  const horizon = query.device === undefined ? undefined : await deps.store.changeHorizon(userId);
  // One extra row tells whether more follow without a count query.
  const changes = await deps.store.changesSince(userId, query.cursor, query.limit + 1, {
    excludeDevice: query.device,
    upTo: horizon,
  });
  const page: Change[] = [];
  let bytes = 0;
  for (const change of changes.slice(0, query.limit)) {
    bytes += changeWeight(change);
    if (page.length > 0 && bytes > maxBytes) break;
    page.push(change);
  }
  const hasMore = changes.length > page.length;
  const last = page.at(-1)?.seq ?? query.cursor;
  const cursor = !hasMore && horizon !== undefined ? Math.max(horizon, query.cursor) : last;
  return { pullVersion, changes: page, cursor, hasMore };
}
