import { serverMcp } from "@cairn/agent/mcp/server-mcp";
import type { ServerToolDeps } from "@cairn/agent/server-tool-context";
import { AppError } from "@cairn/core/app-error";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";

/**
 * MCP over Streamable HTTP at /mcp (SPEC section 8), bearer auth like every
 * route. Stateless: a new MCP server and transport per request, built for
 * the token's user, so two clients can never see each other's results.
 */
export function mcpRoutes(app: FastifyInstance, deps: ServerToolDeps, logInternal: (error: unknown) => void): void {
  app.post("/mcp", async (request, reply) => {
    const user = userOf(request);
    const server = serverMcp({ McpServer }, deps, user, logInternal);
    const transport = new StreamableHTTPServerTransport({ enableJsonResponse: true }); // no session id generator: stateless
    reply.hijack();
    reply.raw.on("close", () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(request.raw, reply.raw, request.body);
  });
  // No sessions: nothing to stream to (GET) or end (DELETE).
  const notAllowed = async () => {
    throw new AppError("bad_request", "This MCP endpoint is stateless: POST JSON-RPC requests to it");
  };
  app.get("/mcp", notAllowed);
  app.delete("/mcp", notAllowed);
}
