/**
 * The parts of the MCP SDK `cairn mcp` uses, bundled on their own into
 * dist/mcp-sdk.cjs (scripts/build.mjs) and loaded through V8's code cache
 * (bin/load-bundle.cjs): from node_modules they cost 114 ms of every start,
 * bundled and cached about 38 ms (measured). The main bundle stays as it was.
 */
export { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
export { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
