import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, localSink } from "./cli-context";

/** What every write of a versioned row (memory, task) needs: the local sink, ids, time and this device's clock. */
export function versionedWriter(context: CliContext, local: LocalStore) {
  return {
    store: local.user,
    sink: localSink(context, local),
    newId: context.newId,
    now: context.now,
    nextVersion: () => local.nextVersion(context.now()),
  };
}
