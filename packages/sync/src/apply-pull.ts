import type { PullResponse } from "@cairn/core/wire/pull";
import type { OpenAlert } from "@cairn/core/wire/push";
import type { LocalStore } from "./local-store";
import { writeChanges } from "./write-changes";

/**
 * Applies one pulled page to the local mirror and advances the cursor in the
 * same transaction: a crash between the two can neither skip nor double a page.
 * A memory keeps the higher version (a local edit not yet pushed may be newer).
 */
export async function applyPull(local: LocalStore, page: PullResponse): Promise<number> {
  return local.user.transaction(async (tx) => {
    await writeChanges(local, tx, page.changes, { compareMemories: true });
    local.state.set("cursor", String(page.cursor));
    rememberAlerts(local, page.alerts);
    return page.changes.length;
  });
}

/** Keeps the open alerts a push or pull reported, for `cairn sync status` (offline). */
export function rememberAlerts(local: LocalStore, alerts: OpenAlert[] | undefined): void {
  if (alerts === undefined) return;
  const text = JSON.stringify(alerts);
  // Written only when it changes: one more commit per batch costs a large drain.
  if (text !== (local.state.get("openAlerts") ?? "[]")) local.state.set("openAlerts", text);
}
