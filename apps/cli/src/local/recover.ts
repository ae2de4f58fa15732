import { isAppError } from "@cairn/core/app-error";
import { type CliContext, openScope, releaseScope, requireCredentials, syncClientFor } from "../cli-context";
import { type Credentials, scopeKey } from "../credentials";
import { scopeStorePath } from "../paths";
import { progressBar } from "../progress";

/**
 * `cairn recover` (and, through `cairn mcp`, the tool `bootstrap_recovery`): sets a damaged
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
  // A long-lived command's open store would keep writing to a file set aside: it is closed first.
  if (!options.dryRun) await releaseScope(context, credentials);
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
