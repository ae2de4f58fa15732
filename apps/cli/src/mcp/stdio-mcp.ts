import type { LocalStore } from "@cairn/sync/local-store";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CliContext } from "../cli-context";
import { localToolProvider } from "../local/tool-context";
import { syncTools } from "./sync-tools";

/**
 * `cairn mcp`: the MCP server over stdio, on this machine's local store: the same server and
 * tools as the server's `/mcp` (the agent package's), run in the local tool context, plus the
 * tools of this machine's sync. The store of the login is kept open for the session (a login
 * made meanwhile opens its own). Resolves when the client closes stdin.
 */
export async function serveMcpOverStdio(context: CliContext): Promise<void> {
  const { loadMcpSdk } = await import("./load-mcp-sdk");
  const sdk = loadMcpSdk();
  const { server, close } = await localMcpServer(sdk, context);
  const transport = new sdk.StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once("end", () => resolve());
  });
  await server.connect(transport);
  try {
    await closed;
    await server.close();
  } finally {
    await close();
  }
}

/** The MCP server of this machine, not yet connected; `close` closes the stores it kept open. */
export async function localMcpServer(
  sdk: { McpServer: typeof McpServer },
  context: CliContext,
): Promise<{ server: McpServer; close(): Promise<void> }> {
  const [{ buildMcpServer }, { mcpTools, serverTools }] = await Promise.all([
    import("@cairn/agent/mcp/mcp-server"),
    import("@cairn/agent/tools/registry"),
  ]);
  const openStores = new Map<string, LocalStore>();
  const session: CliContext = { ...context, openStores };
  const local = new Set(mcpTools.filter((tool) => !serverTools.includes(tool)));
  const server = buildMcpServer(
    sdk,
    localToolProvider(session, (tool) => local.has(tool)),
    [...mcpTools, ...syncTools(session)],
    (error) => context.stderr(`cairn mcp: internal error: ${String((error as Error)?.stack ?? error)}\n`),
  );
  return {
    server,
    async close() {
      for (const store of openStores.values()) await store.close();
      openStores.clear();
    },
  };
}
