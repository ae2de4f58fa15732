import type { Secrets } from "./accounts/secrets";
import type { Embedder } from "./embeddings/embedder";
import type { MutationSink } from "./mutations/mutation-sink";
import { storeSink } from "./mutations/store-sink";
import type { DeleteGuard } from "./operations/server-hooks";
import { serverClock } from "./server-clock";
import type { Store, SystemStore, UserStore, UserTx } from "./store/store-port";
import type { AddressPolicy } from "./webhooks/address-policy";

/**
 * Everything a use case gets for one authenticated user: reads bound to that user, the
 * server's sink for writes (delete guard, audit, change log), the cross-user reads a use case
 * may need (does another user own this id?), ids, time and the server's one version clock.
 */
export interface UserScope {
  store: UserStore;
  system: SystemStore;
  sink: MutationSink;
  embedder: Embedder | undefined;
  queryEmbeddingTimeoutMs: number | undefined;
  secrets: Secrets;
  webhookPolicy: AddressPolicy | undefined;
  newId: () => string;
  now: () => Date;
  nextVersion: () => string;
}

/** What is written in the same transaction as a scope's mutations. */
export interface ScopeHooks {
  /** Before the mutations: commits with them or not at all. */
  before?: ((tx: UserTx) => Promise<void>) | undefined;
  /** After the mutations applied (not when the guard refused one). */
  after?: ((tx: UserTx) => Promise<void>) | undefined;
}

/** What the scopes are made of: the server's store, its configuration, ids and time. */
export interface ScopeDeps {
  store: Store;
  secrets: Secrets;
  now: () => Date;
  newId: () => string;
  /** The destruction guard every write passes (default: warn above 10 deletes a minute). */
  guard?: DeleteGuard | undefined;
  /** The server's version clock (default: one made once per deps). */
  nextVersion?: (() => string) | undefined;
  embedder?: Embedder | undefined;
  queryEmbeddingTimeoutMs?: number | undefined;
  webhookPolicy?: AddressPolicy | undefined;
}

/** Makes a user's scope; `hooks` are written in the transaction of its writes. */
export type UserScopes = (userId: string, hooks?: ScopeHooks) => UserScope;

const clocks = new WeakMap<ScopeDeps, () => string>();

/**
 * The scopes of a server's users. Every adapter (a route, a chat tool, a job) reaches a user's
 * rows through one of these, so none can read or write another user's. The clock is
 * deps.nextVersion, or one made once per deps, so two route modules never mint versions apart.
 */
export function userScopes(deps: ScopeDeps): UserScopes {
  let nextVersion = deps.nextVersion ?? clocks.get(deps);
  if (!nextVersion) {
    nextVersion = serverClock(deps.now);
    clocks.set(deps, nextVersion);
  }
  const clock = nextVersion;
  return (userId, hooks = {}) => {
    const store = deps.store.forUser(userId);
    return {
      store,
      system: deps.store.system,
      sink: storeSink(store, {
        now: deps.now,
        newId: deps.newId,
        guard: deps.guard,
        before: hooks.before,
        after: hooks.after,
      }),
      embedder: deps.embedder,
      queryEmbeddingTimeoutMs: deps.queryEmbeddingTimeoutMs,
      secrets: deps.secrets,
      webhookPolicy: deps.webhookPolicy,
      newId: deps.newId,
      now: deps.now,
      nextVersion: clock,
    };
  };
}
