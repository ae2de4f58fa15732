import { isAppError } from "../app-error";
import { createIdGenerator } from "../ids";
import { type DeleteGuard, defaultDeleteGuard, serverHooks } from "../operations/server-hooks";
import type { UserStore, UserTx } from "../store/store-port";
import { mutationContext } from "./mutation";
import type { MutationSink } from "./mutation-sink";
import { applyMutation } from "./registry";

/**
 * The server's sink (REST writes): mutations applied in one store
 * transaction for one user, with the server's hooks (delete guard, audit).
 * A delete the guard refuses still commits what the guard wrote (the alert),
 * then fails with `locked` and nothing else of the batch applied.
 */
export function storeSink(
  store: UserStore,
  options: {
    now?: () => Date;
    newId?: () => string;
    guard?: DeleteGuard | undefined;
    /** Written in the same transaction, before the mutations: commits with them or not at all. */
    before?: ((tx: UserTx) => Promise<void>) | undefined;
    /** Written in the same transaction, after the mutations applied (not when the guard refused one). */
    after?: ((tx: UserTx) => Promise<void>) | undefined;
  } = {},
): MutationSink {
  const now = options.now ?? (() => new Date());
  const newId = options.newId ?? createIdGenerator();
  return {
    async commit(mutations) {
      let refused: unknown = null;
      await store.transaction(async (tx) => {
        await options.before?.(tx);
        const hooks = serverHooks({
          tx,
          deviceId: null,
          now,
          newId,
          guard: options.guard ?? defaultDeleteGuard,
        });
        const context = mutationContext(tx, null, hooks);
        for (const mutation of mutations) {
          try {
            await applyMutation(context, mutation.op, mutation.args);
          } catch (error) {
            if (!isAppError(error) || error.code !== "locked" || mutations.length > 1) throw error;
            refused = error;
          }
        }
        if (!refused) await options.after?.(tx);
      });
      if (refused) throw refused;
    },
  };
}
