import type { AttributionQuery } from "../store/store-types";
import { parseTimeFilter } from "../time-filter";

/** The attribution part of a query; `since`/`until` may be "2d", "3h" or ISO dates. */
export function attribution(
  input: {
    project?: string | undefined;
    session?: string | undefined;
    since?: string | undefined;
    until?: string | undefined;
  },
  now: Date = new Date(),
): AttributionQuery {
  return {
    projectId: input.project,
    sessionId: input.session,
    since: input.since === undefined ? undefined : parseTimeFilter(input.since, now, "since"),
    until: input.until === undefined ? undefined : parseTimeFilter(input.until, now, "until"),
  };
}
