import { AppError } from "@cairn/core/app-error";
import type { HttpTransport } from "@cairn/sync/http-transport";
import type { LocalStore } from "@cairn/sync/local-store";
import type { SyncClient } from "@cairn/sync/sync-client";
import type { CliEnv } from "./cli-env";
import { type Credentials, readCredentials, scopeKey } from "./credentials";
import type { Writers } from "./output";
import { type CairnPaths, scopeStorePath } from "./paths";

/** Everything a command needs from the outside world, chosen once by `main`. */
export interface CliContext extends Writers {
  env: CliEnv;
  paths: CairnPaths;
  cwd: string;
  now: () => Date;
  newId: () => string;
  /** How the sync client reaches the server. */
  transport: HttpTransport;
  /** All of stdin, or null when stdin is a terminal. */
  readStdin: () => Promise<string | null>;
  /** A promise that resolves on SIGINT/SIGTERM (serve waits on it). */
  stopSignal: () => Promise<string>;
  osUser: string;
  /** better-sqlite3's addon file (the CLI bundles better-sqlite3's JavaScript, not its addon). */
  sqliteBinding?: string | undefined;
  /** This process (drain lock holder, daemon owner record). */
  pid: number;
  /** How to start this CLI again (the daemon runs as `node <script> sync daemon run`). */
  executable: { node: string; script: string };
  /** Asks a question on the terminal; null when stdin is not a terminal (nobody to answer). */
  ask: (question: string) => Promise<string | null>;
  /** Asks for a secret on the terminal, not echoing it; null when stdin is not a terminal. */
  askSecret: (question: string) => Promise<string | null>;
  /** Whether stdout is a terminal (a person reads it) rather than a pipe or a file; asked only by `serve`. */
  stdoutIsTerminal: () => boolean;
  /** Writes progress to a terminal (stderr); a no-op when stderr is not one. */
  progress: (line: string | null) => void;
  /** Crash tests: SIGKILL this process when it reaches the named durable step; a no-op otherwise. */
  crashAt: (point: string) => void;
  /**
   * Stores kept open between calls, by path: set by a long-lived command (`cairn mcp`), so a
   * tool call does not open and close the store each time. Absent, every call opens its own.
   */
  openStores?: Map<string, LocalStore> | undefined;
}

/** The saved login (null before any login). */
export function credentialsOf(context: CliContext): Credentials | null {
  return readCredentials(context.paths);
}

/** The saved login, or `not_logged_in` (exit 4). */
export function requireCredentials(context: CliContext): Credentials {
  const credentials = credentialsOf(context);
  if (!credentials) {
    throw new AppError("not_logged_in", "Not logged in to a Cairn server", {
      hint: "Run `cairn login --server URL --token TOKEN`.",
    });
  }
  return credentials;
}

/** Opens the local store of the current identity scope. */
export async function openScope(context: CliContext, credentials: Credentials | null): Promise<LocalStore> {
  const { LocalStore } = await import("@cairn/sync/local-store");
  return LocalStore.open({
    path: scopeStorePath(context.paths, scopeKey(credentials)),
    userId: credentials?.user.id ?? "local",
    server: credentials?.server ?? null,
    newDeviceId: context.newId,
    nativeBinding: context.sqliteBinding,
  });
}

/**
 * Runs `work` with the scope's local store open, and closes it whatever happens; in a
 * long-lived command, with the store it keeps open for the scope.
 */
export async function withScope<T>(
  context: CliContext,
  credentials: Credentials | null,
  work: (local: LocalStore) => Promise<T>,
): Promise<T> {
  const kept = context.openStores;
  if (kept) {
    const path = scopeStorePath(context.paths, scopeKey(credentials));
    let local = kept.get(path);
    if (!local) {
      local = await openScope(context, credentials);
      kept.set(path, local);
    }
    return work(local);
  }
  const local = await openScope(context, credentials);
  try {
    return await work(local);
  } finally {
    await local.close();
  }
}

/** Closes the store kept open for a scope (before its file is set aside); the next call opens it again. */
export async function releaseScope(context: CliContext, credentials: Credentials | null): Promise<void> {
  const path = scopeStorePath(context.paths, scopeKey(credentials));
  const local = context.openStores?.get(path);
  if (!local) return;
  context.openStores?.delete(path);
  await local.close();
}

export async function syncClientFor(context: CliContext, credentials: Credentials): Promise<SyncClient> {
  const { SyncClient } = await import("@cairn/sync/sync-client");
  return new SyncClient({ server: credentials.server, token: credentials.token, transport: context.transport });
}

/** Most unsent rows a scope's outbox holds before writes fail (default 100,000). */
export function queueCap(context: CliContext): number {
  const value = Number(context.env.CAIRN_QUEUE_CAP ?? 100_000);
  return Number.isInteger(value) && value > 0 ? value : 100_000;
}

/** The inline push budget after a write (default 1.5 s). */
export function pushDeadlineMs(context: CliContext): number {
  const value = Number(context.env.CAIRN_PUSH_DEADLINE_MS ?? 1500);
  return Number.isFinite(value) && value >= 0 ? value : 1500;
}

/** Text from the arguments, else from stdin; empty text is refused. */
export async function textInput(context: CliContext, words: string[]): Promise<string> {
  const text = words.length > 0 ? words.join(" ") : ((await context.readStdin()) ?? "");
  if (text.trim() === "") {
    throw new AppError("bad_request", "No text given", { hint: "Pass the text as an argument or on stdin." });
  }
  return words.length > 0 ? text : text.replace(/\r?\n$/, "");
}
