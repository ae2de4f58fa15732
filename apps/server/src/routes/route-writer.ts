import { storeSink } from "@cairn/core/mutations/store-sink";
import type { StoreWriter } from "@cairn/core/store-port";
import { serverClock } from "../server-clock";
import type { ServerDeps } from "../server-deps";

const clocks = new WeakMap<ServerDeps, () => string>();

/**
 * What a REST write needs, for one user: the server's sink (delete guard and
 * audit), ids, time, and the one clock of this server (deps.nextVersion, or
 * one made once per deps, so two route modules never mint versions apart).
 */
export function routeWriter(deps: ServerDeps) {
  let nextVersion = deps.nextVersion ?? clocks.get(deps);
  if (!nextVersion) {
    nextVersion = serverClock(deps.now);
    clocks.set(deps, nextVersion);
  }
  const clock = nextVersion;
  return (
    userId: string,
    options: { before?: (tx: StoreWriter) => Promise<void>; after?: (tx: StoreWriter) => Promise<void> } = {},
  ) => ({
    store: deps.store,
    sink: storeSink(deps.store, userId, {
      now: deps.now,
      newId: deps.newId,
      guard: deps.guard,
      before: options.before,
      after: options.after,
    }),
    newId: deps.newId,
    now: deps.now,
    nextVersion: clock,
  });
}
