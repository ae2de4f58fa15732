import { nextVersion } from "@cairn/core/hlc";
import { storeSink } from "@cairn/core/mutations/store-sink";
import type { Store } from "@cairn/core/store/store-port";
import { afterAll, beforeAll } from "vitest";

/**
 * What a write operation needs in a contract suite: the server's sink on the
 * suite's store (opened in beforeAll, hence the getter), its ids and clock,
 * and one version clock shared by every writer of the suite.
 */
export function contractWriter(store: () => Store, now: () => Date, newId: () => string) {
  let clock: string | null = null;
  return (userId: string, node = "server") => ({
    store: store().forUser(userId),
    sink: storeSink(store().forUser(userId), { now, newId }),
    newId,
    now,
    nextVersion: () => {
      clock = nextVersion(clock, now().getTime(), node);
      return clock;
    },
  });
}

/**
 * The usual start of a contract suite: opens its store before the tests,
 * with two users (`<prefix>-user` and `<prefix>-other`, for "another user's
 * rows never show"), hands the store to `use`, and closes it after.
 */
export function suiteStore(factory: { open: () => Promise<Store> }, prefix: string, use: (store: Store) => void) {
  const user = { id: `${prefix}-user`, name: `${prefix}-user`, createdAt: "2026-01-01T00:00:00.000Z" };
  const other = { id: `${prefix}-other`, name: `${prefix}-other`, createdAt: "2026-01-01T00:00:00.000Z" };
  let opened: Store | undefined;
  beforeAll(async () => {
    opened = await factory.open();
    use(opened);
    await opened.system.transaction(async (tx) => {
      await tx.createUser(user);
      await tx.createUser(other);
    });
  });
  afterAll(async () => {
    await opened?.close();
  });
  return { user, other };
}
