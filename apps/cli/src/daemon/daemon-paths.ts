import { join } from "node:path";
import type { CairnPaths } from "../paths";

/** Where daemons keep their owner records and logs (no schema here: every write checks this path). */
export function daemonsDir(paths: CairnPaths): string {
  return join(paths.dataDir, "daemons");
}

export function ownerRecordPath(paths: CairnPaths, scope: string): string {
  return join(daemonsDir(paths), `${scope}.json`);
}

/** The daemon's log file (its stdout and stderr). */
export function daemonLogPath(paths: CairnPaths, scope: string): string {
  return join(daemonsDir(paths), `${scope}.log`);
}
