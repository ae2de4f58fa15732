import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, localSink } from "./cli-context";

/**
 * The session a write in `projectId` is tagged with: the project's current
 * session while it is open (not ended, active within 30 minutes), else a new
 * one started here, so every entry and memory belongs to a session without
 * anyone having to start one.
 */
export async function sessionForWrite(context: CliContext, local: LocalStore, projectId: string): Promise<string> {
  const { sessionOpen, startSession } = await import("@cairn/core/operations/sessions");
  const currentId = local.currentSessionId(projectId);
  if (currentId) {
    const current = await local.store.getSession(local.userId, currentId);
    if (current && sessionOpen(current, context.now())) return currentId;
  }
  const started = await startSession(
    { sink: localSink(context, local), newId: context.newId, now: context.now },
    { project: projectId, agent: context.env.CAIRN_AGENT ?? "" },
  );
  local.setCurrentSession(projectId, started.id);
  return started.id;
}
