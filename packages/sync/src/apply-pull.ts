import type { PullResponse } from "@cairn/core/wire/pull";
import type { LocalStore } from "./local-store";

/**
 * Applies one pulled page to the local mirror and advances the cursor in the
 * same transaction: a crash between the two can neither skip nor double a page.
 */
export async function applyPull(local: LocalStore, page: PullResponse): Promise<number> {
  return local.store.transaction(async (tx) => {
    for (const change of page.changes) {
      if (change.type === "thread") await tx.putThread(local.userId, change.thread, change.seq);
      else await tx.insertEntry(local.userId, change.entry, change.seq);
    }
    local.state.set("cursor", String(page.cursor));
    return page.changes.length;
  });
}
