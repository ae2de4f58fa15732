import { AppError } from "@cairn/core/app-error";
import { ackAlert, listAlerts, recoveryBootstrap } from "@cairn/core/operations/safety";
import type { UserScopes } from "@cairn/core/user-scope";
import { askOracle, type OracleDeps } from "./oracle/ask-oracle";
import type { ToolContext } from "./tools/tool";

/** What the server's tool contexts are made of. */
export interface ServerToolDeps {
  scopes: UserScopes;
  oracle: OracleDeps;
}

/**
 * The tool context on the server (the chat agent and `/mcp`), for the authenticated user: reads
 * and writes through the user's scope (its sink runs the delete guard and the audit), the server's
 * use cases called directly. Writes name no session (the server keeps no current session of a
 * project; a machine's agent tags its own through `cairn mcp`). `actor` says who acts: the
 * author of entries and the name on an acknowledgement.
 */
export function serverToolContext(
  deps: ServerToolDeps,
  call: { userId: string; actor: string; conversation: ToolContext["conversation"] },
): ToolContext {
  const scope = deps.scopes(call.userId);
  return {
    userId: call.userId,
    store: scope.store,
    embedder: scope.embedder,
    writer: scope,
    now: scope.now,
    newId: scope.newId,
    conversation: call.conversation,
    confirmations: {
      put: (confirmation) => scope.store.transaction((tx) => tx.putConfirmation(confirmation)),
      use: (id, at) => scope.store.transaction((tx) => tx.useConfirmation(id, at)),
    },
    defaultProject: "personal",
    defaultThread: "main",
    author: call.actor,
    agent: "",
    sessionFor: async () => ({ sessionId: null }),
    currentSession: {
      async get(project) {
        const { sessions } = await scope.store.listSessions({ projectId: project, limit: 20, offset: 0 });
        return sessions.find((session) => session.endedAt === null)?.id ?? null;
      },
      set() {},
    },
    server: {
      askOracle: (input) => askOracle(deps.oracle, call.userId, input),
      listAlerts: (all) => listAlerts(scope, all ? {} : { open: true }),
      acknowledgeAlert: (id) => ackAlert(scope, { id, by: call.actor }),
      async recover(input) {
        if (!input.dryRun) {
          throw new AppError("bad_request", "A recovery restores a machine's local store: run it on that machine", {
            hint: "Run `cairn recover` there, or call bootstrap_recovery from its `cairn mcp`.",
          });
        }
        return recoveryBootstrap(scope, {
          ...(input.project ? { project: input.project } : {}),
          ...(input.since ? { since: input.since } : {}),
        });
      },
    },
  };
}
