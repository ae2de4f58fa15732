import { sessionOpen } from "@cairn/core/retention";
import type { LocalStore } from "@cairn/sync/local-store";
import type { CliContext } from "./cli-context";

/**
 * The session a write in `projectId` is tagged with: the project's current
 * session while it is open (not ended, active within 30 minutes), else a new
 * id. A new session is created by the write itself (`ensureSessionFor` in
 * the mutation), so it costs no extra mutation and every entry and memory
 * belongs to a session without anyone having to start one.
 */
export async function sessionForWrite(
  context: CliContext,
  local: LocalStore,
  projectId: string,
): Promise<{ sessionId: string; sessionAgent?: string }> {
  const currentId = local.currentSessionId(projectId);
  if (currentId) {
    const current = await local.user.getSession(currentId);
    if (current && sessionOpen(current, context.now())) return { sessionId: currentId };
  }
  const sessionId = context.newId();
  local.setCurrentSession(projectId, sessionId);
  return { sessionId, ...(context.env.CAIRN_AGENT ? { sessionAgent: context.env.CAIRN_AGENT } : {}) };
}
