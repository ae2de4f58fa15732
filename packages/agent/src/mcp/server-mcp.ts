import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { type ServerToolDeps, serverToolContext } from "../server-tool-context";
import { mcpTools } from "../tools/registry";
import { buildMcpServer, fixedContext } from "./mcp-server";

/**
 * The MCP server `/mcp` serves one request with: the registry's MCP tools in the tool context of
 * the token's user. `cairn mcp` builds the same server from the same list with its local context.
 */
export function serverMcp(
  sdk: { McpServer: typeof McpServer },
  deps: ServerToolDeps,
  user: { id: string; name: string },
  logInternal: (error: unknown) => void = () => {},
): McpServer {
  const context = serverToolContext(deps, { userId: user.id, actor: `${user.name} (MCP)`, conversation: null });
  return buildMcpServer(sdk, fixedContext(context), mcpTools, logInternal);
}
