import { laterVersion } from "@cairn/core/hlc";
import { threadKey } from "@cairn/core/mutations/thread-key";
import type { UserTx } from "@cairn/core/store/store-port";
import type { Change } from "@cairn/core/store/store-types";
import type { LocalStore } from "./local-store";

/** The outbox's entity id of the row a change carries (a thread's is "project/thread"). */
export function changeKey(change: Change): string {
  switch (change.type) {
    case "thread":
      return threadKey(change.thread.projectId, change.thread.id);
    case "entry":
      return change.entry.id;
    case "memory":
      return change.memory.id;
    case "session":
      return change.session.id;
    case "task":
      return change.task.id;
  }
}

/** A change's project, and the time a `since` filter applies to (the digest uses the same columns). */
export function changeAttribution(change: Change): { project: string; time: string } {
  switch (change.type) {
    case "thread":
      return { project: change.thread.projectId, time: change.thread.updatedAt };
    case "entry":
      return { project: change.entry.projectId, time: change.entry.createdAt };
    case "memory":
      return { project: change.memory.projectId, time: change.memory.updatedAt };
    case "session":
      return { project: change.session.projectId, time: change.session.startedAt };
    case "task":
      return { project: change.task.projectId ?? "", time: change.task.updatedAt };
  }
}

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
 * transaction (pull and recovery both come here). A memory or task keeps the higher
 * version unless `compareMemories` is off (a store with nothing queued holds
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
    switch (change.type) {
      case "thread":
        await tx.putThread(change.thread, change.seq);
        break;
      case "entry":
        await tx.putEntry(change.entry, change.seq);
        break;
      case "session":
        await tx.putSession(change.session, change.seq);
        break;
      case "memory": {
        clock = laterVersion(clock, change.memory.version);
        const mine = options.compareMemories ? await tx.getMemory(change.memory.id) : null;
        if (mine && mine.version >= change.memory.version) {
          outcome.keptNewer += 1;
          continue;
        }
        await tx.putMemory(change.memory, change.seq);
        break;
      }
      case "task": {
        clock = laterVersion(clock, change.task.version);
        const mine = options.compareMemories ? await tx.getTask(change.task.id) : null;
        if (mine && mine.version >= change.task.version) {
          outcome.keptNewer += 1;
          continue;
        }
        await tx.putTask(change.task, change.seq);
        break;
      }
    }
    outcome.written[change.type] = (outcome.written[change.type] ?? 0) + 1;
  }
  if (clock !== null) local.state.set("clock", clock);
  return outcome;
}
