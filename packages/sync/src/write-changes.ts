import { laterVersion } from "@cairn/core/hlc";
import type { UserTx } from "@cairn/core/store/store-port";
import type { Change } from "@cairn/core/store/store-types";
import { changeAttribution, changeKey, changeVersion, currentOf, writeChange } from "@cairn/core/synced/synced-types";
import type { LocalStore } from "./local-store";

export { changeAttribution, changeKey };

export interface WriteOutcome {
  /** Rows written, per type. */
  written: Record<string, number>;
  /** Changes not written because `keep` named their row (a queued local change is newer). */
  keptQueued: Change[];
  /** Memories and tasks not written because the store's version is not lower. */
  keptNewer: number;
}

/**
 * Writes pulled changes into a scope's mirror, inside the caller's
 * transaction (pull and recovery both come here). A versioned row (memory, task) keeps the
 * higher version unless `compareMemories` is off (a store with nothing queued holds
 * only what the server sent it), and every version seen moves the local clock.
 */
export async function writeChanges(
  local: LocalStore,
  tx: UserTx,
  changes: Change[],
  options: { keep?: Set<string>; compareMemories: boolean },
): Promise<WriteOutcome> {
  const outcome: WriteOutcome = { written: {}, keptQueued: [], keptNewer: 0 };
  let clock = local.state.get("clock");
  for (const change of changes) {
    if (options.keep?.has(changeKey(change))) {
      outcome.keptQueued.push(change);
      continue;
    }
    const version = changeVersion(change);
    if (version !== null) {
      clock = laterVersion(clock, version);
      const mine = options.compareMemories ? await currentOf(tx, change) : null;
      if (mine && mine.version >= version) {
        outcome.keptNewer += 1;
        continue;
      }
    }
    await writeChange(tx, change);
    outcome.written[change.type] = (outcome.written[change.type] ?? 0) + 1;
  }
  if (clock !== null) local.state.set("clock", clock);
  return outcome;
}
