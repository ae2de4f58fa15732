import type { CliContext } from "../cli-context";

/**
 * Who an entry written on this machine is by, whichever surface writes it (`cairn thread push`,
 * the MCP tool `thread_push`): the name given, else CAIRN_AUTHOR, else the OS user. The agent
 * an entry comes through is recorded on its session (CAIRN_AGENT), not as its author.
 */
export function authorOf(context: CliContext, given?: string | undefined): string {
  return given ?? context.env.CAIRN_AUTHOR ?? context.osUser;
}
