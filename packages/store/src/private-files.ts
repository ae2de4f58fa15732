import { chmodSync, closeSync, mkdirSync, openSync, statSync } from "node:fs";

/**
 * Cairn's files hold a user's whole memory and its tokens' hashes: only their owner may read
 * them. Directories are created 0700 and files 0600, before SQLite opens them (SQLite gives its
 * -wal and -shm files the database file's mode), and files an older release left readable by
 * others are tightened when they are opened.
 */

/** Creates `path` (and missing parents) readable by the owner only; tightens `path` itself if it exists. */
export function privateDirectory(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  tighten(path, 0o700);
}

/** Creates the file empty, 0600, if it is missing; tightens it (and its -wal and -shm) if not. */
export function privateFile(path: string): void {
  try {
    closeSync(openSync(path, "a", 0o600));
  } catch {
    // Not creatable here (a read-only place, a missing directory): SQLite reports it when it opens.
    return;
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) tighten(file, 0o600);
}

function tighten(path: string, mode: number): void {
  try {
    // Only when it is looser: a chmod per start of every command would be wasted system calls.
    if ((statSync(path).mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
  } catch {
    // Missing (an optional -wal), or not ours to change: left as it is.
  }
}
