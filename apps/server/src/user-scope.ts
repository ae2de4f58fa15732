import type { Secrets } from "@cairn/core/accounts/secrets";
import type { Embedder } from "@cairn/core/embeddings/embedder";
import type { MutationSink } from "@cairn/core/mutations/mutation-sink";
import { storeSink } from "@cairn/core/mutations/store-sink";
import type { SystemStore, UserStore, UserTx } from "@cairn/core/store/store-port";
import type { AddressPolicy } from "@cairn/core/webhooks/address-policy";
import { serverClock } from "./server-clock";
import type { ServerDeps } from "./server-deps";

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

const clocks = new WeakMap<ServerDeps, () => string>();

/**
 * The scopes of a server's users. Every adapter (a route, a chat tool, a job) reaches a user's
 * rows through one of these, so none can read or write another user's. The clock is
 * deps.nextVersion, or one made once per deps, so two route modules never mint versions apart.
 */
export function userScopes(deps: ServerDeps): (userId: string, hooks?: ScopeHooks) => UserScope {
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
