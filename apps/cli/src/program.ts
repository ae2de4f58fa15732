import { AppError, isAppError, toAppError } from "@cairn/core/app-error";
import { Command, CommanderError } from "commander";
import type { CliContext } from "./cli-context";
import { registerAdminCommands } from "./commands/admin-commands";
import { registerAlertCommands } from "./commands/alert-commands";
import { registerAskCommand } from "./commands/ask-command";
import { registerAuthCommands } from "./commands/auth-commands";
import { registerChatCommand } from "./commands/chat-command";
import { registerDoctorCommand } from "./commands/doctor-command";
import { registerInitCommand } from "./commands/init-command";
import { registerMcpCommand } from "./commands/mcp-command";
import { registerMemoryCommands } from "./commands/memory-commands";
import { registerPortabilityCommands } from "./commands/portability-commands";
import { registerRecoverCommand } from "./commands/recover-command";
import { registerSearchCommand } from "./commands/search-command";
import { registerServeCommand } from "./commands/serve-command";
import { registerSessionCommands } from "./commands/session-commands";
import { registerShowCommand } from "./commands/show-command";
import { registerSyncCommands } from "./commands/sync-commands";
import { registerTaskCommands } from "./commands/task-commands";
import { registerThreadCommands } from "./commands/thread-commands";
import { registerTrashCommands } from "./commands/trash-commands";
import { printError } from "./output";
import { cliVersion } from "./version";

/** Builds the command tree; each command is a thin adapter over an operation. */
export function buildProgram(context: CliContext): Command {
  const program = new Command("cairn")
    .description("Cairn: durable work memory for AI agents")
    .version(cliVersion)
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: context.stdout, writeErr: context.stderr });
  registerAuthCommands(program, context);
  registerInitCommand(program, context);
  registerThreadCommands(program, context);
  registerMemoryCommands(program, context);
  registerTaskCommands(program, context);
  registerChatCommand(program, context);
  registerAskCommand(program, context);
  registerMcpCommand(program, context);
  registerSessionCommands(program, context);
  registerTrashCommands(program, context);
  registerSearchCommand(program, context);
  registerShowCommand(program, context);
  registerSyncCommands(program, context);
  registerAlertCommands(program, context);
  registerRecoverCommand(program, context);
  registerPortabilityCommands(program, context);
  registerDoctorCommand(program, context);
  registerServeCommand(program, context);
  registerAdminCommands(program, context);
  for (const command of allCommands(program)) command.exitOverride();
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

/**
 * Runs one command line and returns its exit code (SPEC section 9): 0 ok,
 * 1 error, 2 refused or bad usage, 4 not logged in.
 */
export async function runCli(context: CliContext, argv: string[]): Promise<number> {
  const json = argv.includes("--json");
  try {
    await buildProgram(context).parseAsync(argv, { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.exitCode === 0) {
        return 0;
      }
      // Commander has already printed the usage error.
      return 2;
    }
    const appError = isAppError(error)
      ? error
      : (zodAsAppError(error) ?? damagedStoreError(error) ?? toAppError(error));
    printError(context, json, appError, context.env.CAIRN_DEBUG === "1");
    return appError.exitCode;
  }
}

/** SQLite found a damaged page while reading a local store (past the checks at open). */
function damagedStoreError(error: unknown): AppError | null {
  const code = (error as { code?: unknown }).code;
  if (code !== "SQLITE_CORRUPT" && code !== "SQLITE_NOTADB") return null;
  return new AppError("store_corrupt", `A local store file is damaged (${code})`, {
    cause: error,
    hint: "Run `cairn recover`: it sets the damaged file aside (renamed, not deleted) and restores from the server.",
  });
}

/** A schema failure on CLI input (an operation's zod parse) is bad usage, naming the field. */
function zodAsAppError(error: unknown): AppError | null {
  if (!(error instanceof Error) || error.name !== "ZodError") return null;
  const issues = (error as unknown as { issues: { path: PropertyKey[]; message: string }[] }).issues;
  const message = issues.map((issue) => `${issue.path.join(".") || "(input)"}: ${issue.message}`).join("; ");
  return new AppError("invalid_input", message, { cause: error });
}
