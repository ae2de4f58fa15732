import { laterVersion } from "@cairn/core/hlc";
import type { PullResponse } from "@cairn/core/wire/pull";
import type { LocalStore } from "./local-store";

/**
 * Applies one pulled page to the local mirror and advances the cursor in the
 * same transaction: a crash between the two can neither skip nor double a page.
 * A memory keeps the higher version (a local edit not yet pushed may be
 * newer), and every version seen moves the local clock forward.
 */
export async function applyPull(local: LocalStore, page: PullResponse): Promise<number> {
  return local.store.transaction(async (tx) => {
    let clock = local.state.get("clock");
    for (const change of page.changes) {
      switch (change.type) {
        case "thread":
          await tx.putThread(local.userId, change.thread, change.seq);
          break;
        case "entry":
          await tx.putEntry(local.userId, change.entry, change.seq);
          break;
        case "session":
          await tx.putSession(local.userId, change.session, change.seq);
          break;
        case "memory": {
          const mine = await tx.getMemory(local.userId, change.memory.id);
          if (!mine || mine.version < change.memory.version) {
            await tx.putMemory(local.userId, change.memory, change.seq);
          }
          clock = laterVersion(clock, change.memory.version);
          break;
        }
      }
    }
    if (clock !== null) local.state.set("clock", clock);
    local.state.set("cursor", String(page.cursor));
    return page.changes.length;
  });
}
