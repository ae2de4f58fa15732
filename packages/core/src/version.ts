/** Cairn's version: the CLI's `--version`, the daemon's owner record, the MCP server's name. */
export const cairnVersion = "0.1.0";
