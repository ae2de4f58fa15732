import { join } from "node:path";
import type { CliEnv } from "./cli-env";

export interface CairnPaths {
  configDir: string;
  dataDir: string;
}

/**
 * Where the CLI keeps things: everything under CAIRN_HOME when set, else the
 * platform's user config and data directories.
 */
export function resolvePaths(env: CliEnv, platform: NodeJS.Platform, home: string): CairnPaths {
  if (env.CAIRN_HOME) return { configDir: env.CAIRN_HOME, dataDir: env.CAIRN_HOME };
  if (platform === "win32") {
    const roaming = env.APPDATA ?? join(home, "AppData", "Roaming");
    const local = env.LOCALAPPDATA ?? join(home, "AppData", "Local");
    return { configDir: join(roaming, "cairn"), dataDir: join(local, "cairn") };
  }
  if (platform === "darwin") {
    const base = join(home, "Library", "Application Support", "cairn");
    return { configDir: base, dataDir: base };
  }
  return {
    configDir: join(env.XDG_CONFIG_HOME ?? join(home, ".config"), "cairn"),
    dataDir: join(env.XDG_DATA_HOME ?? join(home, ".local", "share"), "cairn"),
  };
}

/** The local store file of a scope ("local", or one per server and user). */
export function scopeStorePath(paths: CairnPaths, scopeKey: string): string {
  return join(paths.dataDir, "stores", `${scopeKey}.db`);
}

/** The server's default data directory (serve and admin without --data). */
export function defaultServerDataDir(paths: CairnPaths, env: CliEnv): string {
  return env.CAIRN_DATA_DIR ?? join(paths.dataDir, "server");
}
