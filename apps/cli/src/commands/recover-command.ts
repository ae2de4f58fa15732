import { AppError } from "@cairn/core/app-error";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { printResult } from "../output";

const plurals: Record<string, string> = { entry: "entries", memory: "memories" };

interface RecoverOptions {
  project?: string;
  since?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** `cairn recover [--project P] [--since T] [--dry-run]`: rebuild this login's store from the server. */
export function registerRecoverCommand(program: Command, context: CliContext): void {
  program
    .command("recover")
    .description("Rebuild the local store from the server (a damaged file is set aside first), then verify it")
    .option("--project <name>", "only this project")
    .option("--since <time>", 'only rows since: "2d", "3h" or an ISO date')
    .option("--dry-run", "only say what a restore would bring back")
    .option("--json", "print JSON")
    .action(async (options: RecoverOptions) => {
      const { recoverStore } = await import("../local/recover");
      const { output, result, setAside } = await recoverStore(context, options);
      printResult(context, Boolean(options.json), output, () =>
        [
          ...(setAside ? [`the damaged store was set aside as ${setAside}`] : []),
          `${result.dryRun ? "would restore" : "restored"}: ${Object.entries(result.restored)
            .map(([type, count]) => `${count} ${count === 1 ? type : (plurals[type] ?? `${type}s`)}`)
            .join(", ")}${result.kept > 0 ? ` (kept ${result.kept} newer local rows)` : ""}`,
          result.dryRun
            ? "dry run: nothing was written"
            : result.verified
              ? "verified: counts and hashes match the server"
              : "NOT verified: the store differs from the server",
        ].join("\n"),
      );
      if (!result.dryRun && !result.verified) {
        throw new AppError("conflict", "The restored store does not match the server's digest", {
          details: result.digest,
          hint: "Run `cairn recover` again; if it still differs, report it with `cairn recover --json`.",
        });
      }
    });
}
