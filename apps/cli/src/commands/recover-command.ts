import { AppError, isAppError } from "@cairn/core/app-error";
import type { Command } from "commander";
import { type CliContext, openScope, requireCredentials, syncClientFor } from "../cli-context";
import type { Credentials } from "../credentials";
import { scopeKey } from "../credentials";
import { printResult } from "../output";
import { scopeStorePath } from "../paths";
import { progressBar } from "../progress";

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

/**
 * `cairn recover` (and the MCP tool `bootstrap_recovery`): sets a damaged
 * store aside (not in a dry run), pulls everything from the server, verifies it.
 */
export async function recoverStore(
  context: CliContext,
  options: { project?: string | undefined; since?: string | undefined; dryRun?: boolean | undefined },
) {
  const credentials = requireCredentials(context);
  const [{ recover }, { parseTimeFilter }, { nameToId }] = await Promise.all([
    import("@cairn/sync/recover"),
    import("@cairn/core/time-filter"),
    import("@cairn/core/slug"),
  ]);
  const setAside = options.dryRun ? null : await setAsideIfDamaged(context, credentials);
  const local = await openScope(context, credentials);
  const bar = progressBar(context, "recovered", "rows");
  try {
    const result = await recover({
      local,
      client: await syncClientFor(context, credentials),
      projectId: options.project ? nameToId(options.project) : undefined,
      since: options.since ? parseTimeFilter(options.since, context.now()) : undefined,
      dryRun: Boolean(options.dryRun),
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.finish();
    const output = {
      restored: result.restored,
      verified: result.verified,
      kept: result.kept,
      dryRun: result.dryRun,
      durationMs: result.durationMs,
      ...(setAside ? { setAside } : {}),
      ...(result.digest ? { digest: result.digest } : {}),
    };
    return { output, result, setAside };
  } finally {
    await local.close();
  }
}

/**
 * A store file that cannot be opened or fails SQLite's quick check is renamed
 * (never deleted), with its -wal and -shm files, so recovery starts fresh.
 */
async function setAsideIfDamaged(context: CliContext, credentials: Credentials): Promise<string | null> {
  const { existsSync, renameSync } = await import("node:fs");
  const path = scopeStorePath(context.paths, scopeKey(credentials));
  if (!existsSync(path)) return null;
  let damaged = false;
  try {
    const local = await openScope(context, credentials);
    try {
      const rows = local.store.db.pragma("quick_check") as { quick_check: string }[];
      damaged = rows.length !== 1 || rows[0]?.quick_check !== "ok";
    } finally {
      await local.close();
    }
  } catch (error) {
    const code = isAppError(error) ? error.code : (error as { code?: string }).code;
    if (code !== "store_corrupt" && !String(code).startsWith("SQLITE_")) throw error;
    damaged = true;
  }
  if (!damaged) return null;
  const aside = `${path}.damaged-${context.now().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(path, aside);
  for (const suffix of ["-wal", "-shm"])
    if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${aside}${suffix}`);
  return aside;
}
