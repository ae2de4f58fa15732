import * as z from "zod";
import type { FeedReads } from "../store/store-roles";
import type { Change } from "../store/store-types";

export const recentChangesInput = z.object({
  /** Changes with a seq below this one (the previous page's `next`); the newest when absent. */
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** How many seqs a step back reads at once (a row changed again leaves its old seq unused). */
const stepBack = 500;

/**
 * The user's change feed newest first, a page at a time (the web UI's timeline: entries,
 * memories, tasks, threads and sessions, deletions included as the rows they changed). `next` is
 * the `before` of the following page, null at the first change; `horizon` is the newest seq,
 * from which the live stream (`GET /api/feed/events`) goes on.
 */
export async function recentChanges(deps: { store: FeedReads }, input: z.input<typeof recentChangesInput>) {
  const query = recentChangesInput.parse(input);
  const horizon = await deps.store.changeHorizon();
  let upTo = Math.min(horizon, (query.before ?? horizon + 1) - 1);
  const changes: Change[] = [];
  while (upTo > 0 && changes.length < query.limit) {
    const from = Math.max(0, upTo - stepBack);
    const window = await deps.store.changesSince(from, stepBack, { upTo });
    changes.push(...window.reverse().slice(0, query.limit - changes.length));
    upTo = from;
  }
  const oldest = changes.at(-1)?.seq;
  const next = changes.length === query.limit && oldest !== undefined && oldest > 1 ? oldest : null;
  return { changes, next, horizon };
}

/** Where a live stream starts: after the seq the client last saw (its `Last-Event-ID`), else at the newest. */
export const feedEventsInput = z.object({ after: z.coerce.number().int().min(0).optional() });
