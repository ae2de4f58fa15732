import type { Command } from "commander";
import type { CliContext } from "../cli-context";

/** `cairn mcp`: Cairn's tools for an agent, over stdio (see README for the one-line client configuration). */
export function registerMcpCommand(program: Command, context: CliContext): void {
  program
    .command("mcp")
    .description("Serve Cairn's tools to an agent over MCP (stdio), on this machine's local store")
    .action(async () => {
      const { serveMcpOverStdio } = await import("../mcp/stdio-mcp");
      await serveMcpOverStdio(context);
    });
}
