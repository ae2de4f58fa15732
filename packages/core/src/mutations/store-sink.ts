import type { Store } from "../store-port";
import { mutationContext } from "./mutation";
import type { MutationSink } from "./mutation-sink";
import { applyMutation } from "./registry";

/** The server's sink: mutations applied in one store transaction for one user. */
export function storeSink(store: Store, userId: string): MutationSink {
  return {
    async commit(mutations) {
      await store.transaction(async (tx) => {
        const context = mutationContext(tx, userId);
        for (const mutation of mutations) await applyMutation(context, mutation.op, mutation.args);
      });
    },
  };
}
