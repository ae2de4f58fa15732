import { join } from "node:path";

type McpSdk = typeof import("./mcp-sdk-entry");

/**
 * The MCP SDK from its own code-cached bundle beside the CLI's
 * (dist/mcp-sdk.cjs, built with the CLI). `__dirname` is the dist folder:
 * bin/load-bundle.cjs runs the CLI bundle with it.
 */
export function loadMcpSdk(): McpSdk {
  const loadBundle = require(join(__dirname, "..", "bin", "load-bundle.cjs")) as (path: string) => McpSdk;
  return loadBundle(join(__dirname, "mcp-sdk.cjs"));
}
