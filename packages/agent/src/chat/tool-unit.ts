import { AppError } from "@cairn/core/app-error";
import type { PendingConfirmation, ToolInvocation } from "@cairn/core/chat/chat-entities";
import type { PendingMutation } from "@cairn/core/mutations/mutation-sink";
import type { UserTx } from "@cairn/core/store/store-port";
import type { ToolContext } from "../tools/tool";

/** One tool call's writes, held until the call has its result, then committed with its invocation record. */
export interface ToolUnit {
  /** The context the tool runs in: its writes and confirmations are collected, not yet written. */
  context: ToolContext;
  /**
   * Commits the collected writes and the invocation record in one transaction: a crash before
   * it leaves nothing (the retry runs the call once), one after it leaves both (the retry finds
   * the record and runs nothing).
   */
  commit(invocation: ToolInvocation): Promise<void>;
}

/**
 * A tool call as a unit of work over a turn's tool context. `commitWith` is the server's
 * writer for the user, with what must be written in the same transaction after the mutations.
 */
export function toolUnit(
  base: ToolContext,
  commitWith: (after: (tx: UserTx) => Promise<void>) => { commit(mutations: PendingMutation[]): Promise<void> },
): ToolUnit {
  const mutations: PendingMutation[] = [];
  const asked: PendingConfirmation[] = [];
  const used: { id: string; at: string }[] = [];
  const context: ToolContext = {
    ...base,
    writer: {
      ...base.writer,
      sink: {
        async commit(pending) {
          mutations.push(...pending);
        },
      },
    },
    confirmations: {
      async put(confirmation) {
        asked.push(confirmation);
      },
      async use(id) {
        // Checked now for the tool's answer, and taken for good at commit (where a second use loses).
        const confirmation = await base.store.getConfirmation(id);
        if (!confirmation || confirmation.usedAt !== null) return false;
        used.push({ id, at: base.now().toISOString() });
        return true;
      },
    },
  };
  return {
    context,
    async commit(invocation) {
      await commitWith(async (tx) => {
        for (const confirmation of asked) await tx.putConfirmation(confirmation);
        for (const use of used) {
          if (!(await tx.useConfirmation(use.id, use.at))) {
            throw new AppError("conflict", "This change was already confirmed and done.");
          }
        }
        await tx.putToolInvocation(invocation);
      }).commit(mutations);
    },
  };
}
