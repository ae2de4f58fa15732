import type { Store } from "../store-port";
import type { PullResponse } from "../wire/pull";
import { pullVersion } from "../wire/versions";

/** Changes after `cursor` in server order, with the next cursor (SPEC section 3). */
export async function pullChanges(
  deps: { store: Store },
  userId: string,
  query: { cursor: number; limit: number },
): Promise<PullResponse> {
  // One extra row tells whether more follow without a count query.
  const changes = await deps.store.changesSince(userId, query.cursor, query.limit + 1);
  const hasMore = changes.length > query.limit;
  const page = hasMore ? changes.slice(0, query.limit) : changes;
  const cursor = page.length > 0 ? (page[page.length - 1]?.seq ?? query.cursor) : query.cursor;
  return { pullVersion, changes: page, cursor, hasMore };
}
