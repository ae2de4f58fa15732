import type { MutationSink } from "@cairn/core/mutations/mutation-sink";
import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, queueCap } from "../cli-context";

/**
 * The sink every CLI write goes through: data and outbox row in one transaction, under the
 * queue cap when the store has a server to send to (the `local` scope has none: no cap).
 */
export function localSink(context: CliContext, local: LocalStore): MutationSink {
  const cap = local.identity.server === null ? null : queueCap(context);
  return local.sink({ now: context.now, queueCap: cap, crashPoint: context.crashAt });
}

/**
 * What every local write needs, the CLI's counterpart of the server's user scope: the store's
 * user's rows, the local sink, ids, time and this device's version clock.
 */
export function localWriter(context: CliContext, local: LocalStore) {
  return {
    store: local.user,
    sink: localSink(context, local),
    newId: context.newId,
    now: context.now,
    nextVersion: () => local.nextVersion(context.now()),
  };
}

export type LocalWriter = ReturnType<typeof localWriter>;
