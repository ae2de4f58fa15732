import type { ToolContextProvider } from "@cairn/agent/mcp/mcp-server";
import type { ToolContext, ToolDefinition } from "@cairn/agent/tools/tool";
import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, credentialsOf, withScope } from "../cli-context";
import { detectProject } from "../detect-project";
import { writeThenPush } from "../inline-push";
import { authorOf } from "./author";
import { localWriter } from "./local-writer";
import { recoverStore } from "./recover";
import { acknowledgeAlert, askServer, listAlerts } from "./server-requests";
import { sessionForWrite } from "./sessions";

/**
 * The tool context on this machine (`cairn mcp`): the local store of the current login, written
 * through the outbox, with the same session and author rules as the commands; what lives on the
 * server is asked of it over HTTP.
 */
export function localToolContext(context: CliContext, local: LocalStore): ToolContext {
  const detected = detectProject(context.cwd);
  return {
    userId: local.userId,
    store: local.user,
    writer: localWriter(context, local),
    now: context.now,
    newId: context.newId,
    conversation: null,
    confirmations: {
      put: (confirmation) => local.user.transaction((tx) => tx.putConfirmation(confirmation)),
      use: (id, at) => local.user.transaction((tx) => tx.useConfirmation(id, at)),
    },
    defaultProject: detected.project,
    defaultThread: detected.thread,
    author: authorOf(context),
    agent: context.env.CAIRN_AGENT ?? "",
    sessionFor: (project) => sessionForWrite(context, local, project),
    currentSession: {
      get: async (project) => local.currentSessionId(project),
      set: (project, sessionId) => local.setCurrentSession(project, sessionId),
    },
    server: {
      askOracle: (input) => askServer(context, input),
      listAlerts: (all) => listAlerts(context, all),
      acknowledgeAlert: (id) => acknowledgeAlert(context, id),
      recover: async (input) => (await recoverStore(context, input)).output,
    },
  };
}

/** The id of the row a tool wrote, when its result names one (for its `synced` flag). */
function writtenId(result: unknown): string | null {
  if (typeof result !== "object" || result === null) return null;
  const record = result as Record<string, unknown>;
  if (typeof record.id === "string") return record.id;
  for (const key of ["memory", "task", "session"]) {
    const nested = record[key] as { id?: unknown } | undefined;
    if (typeof nested?.id === "string") return nested.id;
  }
  return null;
}

/**
 * Where `cairn mcp` runs a tool: a read on the store kept open for the login; a write on it too,
 * then pushed like a CLI write (daemon or inline, never blocking on the network for long) and
 * answered with whether it reached the server. What only the server holds, and this machine's
 * sync, run on their own.
 */
export function localToolProvider(context: CliContext, writesLocally: (tool: ToolDefinition) => boolean) {
  const provider: ToolContextProvider = {
    async run(tool, use) {
      const credentials = credentialsOf(context);
      if (tool.readOnly || !writesLocally(tool)) {
        return withScope(context, credentials, (local) => use(localToolContext(context, local)));
      }
      const written = await writeThenPush(
        context,
        async (local) => ({ result: await use(localToolContext(context, local)) }),
        (done) => writtenId(done.result) ?? "",
      );
      const id = writtenId(written.result);
      const result = written.result as unknown;
      return (
        id && typeof result === "object" && result !== null ? { ...result, synced: written.synced } : result
      ) as never;
    },
  };
  return provider;
}
