import { existsSync, linkSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { privateDirectory } from "@cairn/store/private-files";
import * as z from "zod";
import type { CairnPaths } from "../paths";
import { daemonsDir } from "./daemon-paths";

/**
 * What a running sync daemon says about itself, one file per scope. Written
 * atomically (a temporary file, then link or rename), readable by the owner
 * only: it holds the token that wakes the daemon.
 */
export const ownerRecordSchema = z.object({
  format: z.literal(1),
  pid: z.number().int().positive(),
  startedAt: z.string(),
  version: z.string(),
  executable: z.object({ node: z.string(), script: z.string() }),
  server: z.string(),
  user: z.object({ id: z.string(), name: z.string() }),
  scope: z.string(),
  storePath: z.string(),
  port: z.number().int().positive(),
  wakeToken: z.string().min(32),
});
export type OwnerRecord = z.infer<typeof ownerRecordSchema>;

export type ReadRecord = { record: OwnerRecord } | { damaged: string } | null;

/** The record at `path`: null when there is none, `damaged` when it cannot be read as one. */
export function readOwnerRecord(path: string): ReadRecord {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    return { damaged: (error as Error).message };
  }
  try {
    const parsed = ownerRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? { record: parsed.data } : { damaged: "not an owner record" };
  } catch {
    return { damaged: "not JSON (half-written?)" };
  }
}

/**
 * Claims the scope: writes the record only when none exists (link fails on
 * an existing name, so two daemons starting at once cannot both win).
 */
export function claimOwnerRecord(path: string, record: OwnerRecord): boolean {
  const temporary = writeTemporary(path, record);
  try {
    linkSync(temporary, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** Replaces a record (an orphaned one, after the caller checked it), atomically. */
export function replaceOwnerRecord(path: string, record: OwnerRecord): void {
  renameSync(writeTemporary(path, record), path);
}

/** Removes the record when it still names `pid` (a newer daemon's record is left alone). */
export function removeOwnerRecord(path: string, pid: number): boolean {
  const current = readOwnerRecord(path);
  if (current === null || !("record" in current) || current.record.pid !== pid) return false;
  rmSync(path, { force: true });
  return true;
}

/** Every record file under the daemons directory, by scope. */
export function listOwnerRecords(paths: CairnPaths): { scope: string; path: string; read: ReadRecord }[] {
  let names: string[];
  try {
    names = readdirSync(daemonsDir(paths));
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(".json"))
    .map((name) => {
      const path = join(daemonsDir(paths), name);
      return { scope: name.slice(0, -".json".length), path, read: readOwnerRecord(path) };
    });
}

/** Why a record no longer stands for a running daemon (null: it does). */
export function orphanReason(record: OwnerRecord, isAlive: (pid: number) => boolean): string | null {
  if (!isAlive(record.pid)) return `its process ${record.pid} is not running`;
  if (!existsSync(record.executable.script)) return `its executable ${record.executable.script} is gone`;
  return null;
}

function writeTemporary(path: string, record: OwnerRecord): string {
  privateDirectory(join(path, ".."));
  const temporary = `${path}.${record.pid}.${Date.now()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  return temporary;
}
