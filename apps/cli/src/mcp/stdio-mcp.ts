import type { ToolContext } from "@cairn/core/tools/tool";
import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, credentialsOf, withScope } from "../cli-context";
import { detectProject } from "../detect-project";
import { writeThenPush } from "../inline-push";
import { versionedWriter } from "../versioned-writer";
import { localTools } from "./local-tools";

/**
 * `cairn mcp`: the MCP server over stdio, on this machine's local store.
 * Every tool call opens the current scope (so a login made meanwhile is
 * honoured), runs the same operation the CLI runs, and a write is pushed
 * like a CLI write (daemon or inline, never blocking on the network for
 * long). Resolves when the client closes stdin.
 */
export async function serveMcpOverStdio(context: CliContext): Promise<void> {
  const [{ buildMcpServer }, { mcpTools }, { loadMcpSdk }] = await Promise.all([
    import("@cairn/server/mcp/mcp-tools"),
    import("@cairn/core/tools/registry"),
    import("./load-mcp-sdk"),
  ]);
  const sdk = loadMcpSdk();
  const project = detectProject(context.cwd).project;
  const toolContext = (local: LocalStore): ToolContext => ({
    userId: local.userId,
    store: local.user,
    writer: versionedWriter(context, local),
    now: context.now,
    newId: context.newId,
    conversation: null,
    confirmations: {
      put: (confirmation) => local.user.transaction((tx) => tx.putConfirmation(confirmation)),
      use: (id, at) => local.user.transaction((tx) => tx.useConfirmation(id, at)),
    },
    defaultProject: project,
  });
  const server = buildMcpServer(
    sdk,
    async (tool, input) => {
      if (mcpTools.includes(tool) && tool.readOnly) {
        return withScope(context, credentialsOf(context), (local) => tool.run(toolContext(local), input));
      }
      if (mcpTools.includes(tool)) {
        const written = await writeThenPush(
          context,
          async (local) => ({ result: await tool.run(toolContext(local), input) }),
          () => "",
        );
        return written.result;
      }
      return tool.run(null as unknown as ToolContext, input); // the local tools carry their own context
    },
    [...mcpTools, ...localTools(context)],
    (error) => context.stderr(`cairn mcp: internal error: ${String((error as Error)?.stack ?? error)}\n`),
  );
  const transport = new sdk.StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
}
