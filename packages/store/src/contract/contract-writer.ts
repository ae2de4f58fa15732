import { nextVersion } from "@cairn/core/hlc";
import { storeSink } from "@cairn/core/mutations/store-sink";
import type { Store } from "@cairn/core/store-port";

/**
 * What a write operation needs in a contract suite: the server's sink on the
 * suite's store (opened in beforeAll, hence the getter), its ids and clock,
 * and one version clock shared by every writer of the suite.
 */
export function contractWriter(store: () => Store, now: () => Date, newId: () => string) {
  let clock: string | null = null;
  return (userId: string, node = "server") => ({
    store: store(),
    sink: storeSink(store(), userId, { now, newId }),
    newId,
    now,
    nextVersion: () => {
      clock = nextVersion(clock, now().getTime(), node);
      return clock;
    },
  });
}
