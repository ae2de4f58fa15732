import { toAppError } from "@cairn/core/app-error";
import { agentTools } from "@cairn/core/tools/registry";
import type { ToolContext, ToolDefinition } from "@cairn/core/tools/tool";
import { cairnVersion } from "@cairn/core/version";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { estimateTokens } from "../chat/history";

/** A tool result as MCP carries it: compact JSON text, with its size in tokens so an agent can budget. */
function resultOf(value: unknown, isError = false): CallToolResult {
  const body = JSON.stringify(value);
  const text = JSON.stringify({ ...(value as Record<string, unknown>), tokens: estimateTokens(body) });
  return { content: [{ type: "text", text }], ...(isError ? { isError: true } : {}) };
}

/** Runs one tool call: with a fixed context (the server's, per request) or one opened per call (the CLI's). */
export type ToolRunner = (tool: ToolDefinition, input: unknown) => Promise<unknown>;

/** The runner of a context that lives as long as the MCP server (one HTTP request). */
export function runWith(context: ToolContext): ToolRunner {
  return (tool, input) => tool.run(context, input);
}

/**
 * An MCP server over the tool registry, for one user: the same tools (the
 * same operations) the chat agent calls. A failing tool answers with an
 * error result the model can read (code and message), never a protocol error.
 * The SDK is passed in: the server imports it, `cairn mcp` loads it from its
 * own code-cached bundle (start-up time).
 */
export function buildMcpServer(
  sdk: { McpServer: typeof McpServer },
  run: ToolRunner,
  tools: ToolDefinition[] = agentTools,
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
          return resultOf(await run(tool, input));
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
