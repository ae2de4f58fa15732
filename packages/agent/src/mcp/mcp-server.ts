import { toAppError } from "@cairn/core/app-error";
import { cairnVersion } from "@cairn/core/version";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { estimateTokens } from "../chat/history";
import type { ToolContext, ToolDefinition } from "../tools/tool";

/** A tool result as MCP carries it: compact JSON text, with its size in tokens so an agent can budget. */
function resultOf(value: unknown, isError = false): CallToolResult {
  const body = JSON.stringify(value);
  const text = JSON.stringify({ ...(value as Record<string, unknown>), tokens: estimateTokens(body) });
  return { content: [{ type: "text", text }], ...(isError ? { isError: true } : {}) };
}

/**
 * Where the tools of an MCP server run: the only thing the two transports do differently. The
 * server's gives the token's user's context; the CLI's a context on the local store, and pushes
 * after a write.
 */
export interface ToolContextProvider {
  run<T>(tool: ToolDefinition, use: (context: ToolContext) => Promise<T>): Promise<T>;
}

/** The provider of one fixed context (the server's, for one HTTP request). */
export function fixedContext(context: ToolContext): ToolContextProvider {
  return { run: (_tool, use) => use(context) };
}

/**
 * The one MCP server of Cairn, for stdio (`cairn mcp`) and Streamable HTTP (`/mcp`) alike: the
 * given tools (the registry's `mcpTools`, the same operations the chat agent calls), each run
 * in the provider's context. A failing tool answers with an error result the model can read
 * (code and message), never a protocol error. The SDK is passed in: the server imports it,
 * `cairn mcp` loads it from its own code-cached bundle (start-up time).
 */
export function buildMcpServer(
  sdk: { McpServer: typeof McpServer },
  provider: ToolContextProvider,
  tools: ToolDefinition[],
  logInternal: (error: unknown) => void = () => {},
): McpServer {
  const server = new sdk.McpServer({ name: "cairn", version: cairnVersion });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: tool.input as never,
        annotations: { readOnlyHint: tool.readOnly, destructiveHint: tool.destructive, openWorldHint: false },
      },
      (async (input: unknown) => {
        try {
          return resultOf(await provider.run(tool, (context) => tool.run(context, input)));
        } catch (error) {
          const appError = toAppError(error);
          if (appError.code === "internal") logInternal(appError.cause ?? appError);
          const message = appError.code === "internal" ? "Internal error" : appError.message;
          return resultOf({ error: { code: appError.code, message } }, true);
        }
      }) as never,
    );
  }
  return server;
}
