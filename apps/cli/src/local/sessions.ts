import { AppError } from "@cairn/core/app-error";
import { sessionOpen } from "@cairn/core/retention";
import type { LocalStore } from "@cairn/sync/local-store";
import type { CliContext } from "../cli-context";
import { writeThenPush } from "../inline-push";
import { localSink, localWriter } from "./local-writer";

/**
 * The session a write in `projectId` is tagged with, for every surface of this machine (the
 * commands and `cairn mcp`): the project's current session while it is open (not ended, active
 * within 30 minutes), else a new id. A new session is created by the write itself
 * (`ensureSessionFor` in the mutation), so it costs no extra mutation and every entry and
 * memory belongs to a session without anyone having to start one.
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

/** A new session that becomes the project's current one (`cairn session start`). */
export async function startSessionHere(context: CliContext, project: string, agent?: string) {
  const { startSession } = await import("@cairn/core/operations/sessions");
  return writeThenPush(
    context,
    async (local) => {
      const created = await startSession(
        { sink: localSink(context, local), newId: context.newId, now: context.now },
        { project, agent: agent ?? context.env.CAIRN_AGENT ?? "" },
      );
      local.setCurrentSession(project, created.id);
      return created;
    },
    (created) => created.id,
  );
}

/** Ends the named session, or the project's current one (`cairn session end`). */
export async function endSessionHere(context: CliContext, project: string, id?: string, summary?: string) {
  const { endSession } = await import("@cairn/core/operations/sessions");
  return writeThenPush(
    context,
    async (local) => {
      const target = id ?? local.currentSessionId(project);
      if (!target) throw new AppError("not_found", `No current session in project ${project}`);
      const result = await endSession(localWriter(context, local), { id: target, summary });
      if (local.currentSessionId(result.projectId) === result.id) local.setCurrentSession(result.projectId, null);
      return result;
    },
    (result) => result.id,
  );
}
