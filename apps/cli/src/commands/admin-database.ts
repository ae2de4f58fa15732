import { join } from "node:path";
import type { AccountDeps } from "@cairn/core/accounts/create-user";
import { AppError } from "@cairn/core/app-error";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { defaultServerDataDir } from "../paths";

export interface DatabaseOptions {
  data?: string | undefined;
  databaseUrl?: string | undefined;
  json?: boolean;
  /** Make the database when there is none (only `cairn admin user add` offers it). */
  create?: boolean;
}

/** The server database an admin command works on, as people recognise it: a file path or a URL without its password. */
export function databaseName(
  context: CliContext,
  options: DatabaseOptions,
): { name: string; sqliteFile: string | null } {
  const databaseUrl = options.databaseUrl ?? context.env.CAIRN_DATABASE_URL;
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    if (url.password) url.password = "***";
    return { name: url.toString(), sqliteFile: null };
  }
  const dataDir = options.data ?? defaultServerDataDir(context.paths, context.env);
  const file = join(dataDir, "cairn.db");
  return { name: file, sqliteFile: file };
}

/**
 * Opens the server's database directly (server running or not) for one admin command. It never
 * creates one unless asked (`--create`): a token made in a new, empty database (a CAIRN_HOME that
 * points elsewhere than the server's) would be handed out and refused by the real server.
 */
export async function withAccounts<T>(
  context: CliContext,
  options: DatabaseOptions,
  work: (deps: AccountDeps) => Promise<T>,
): Promise<T> {
  const { openServerStore } = await import("@cairn/server/open-server-store");
  const { nodeSecrets } = await import("@cairn/store/node-secrets");
  const databaseUrl = options.databaseUrl ?? context.env.CAIRN_DATABASE_URL;
  const where = databaseName(context, options);
  if (where.sqliteFile !== null && !options.create) {
    const { existsSync } = await import("node:fs");
    if (!existsSync(where.sqliteFile)) throw noDatabase(where.name);
  }
  const store = await openServerStore({
    dataDir: options.data ?? defaultServerDataDir(context.paths, context.env),
    databaseUrl,
    sqliteBinding: context.sqliteBinding,
    createIfMissing: Boolean(options.create),
  });
  try {
    return await work({ store, secrets: nodeSecrets, newId: context.newId, now: context.now });
  } finally {
    await store.close();
  }
}

function noDatabase(name: string): AppError {
  return new AppError("not_found", `No Cairn server database at ${name}`, {
    hint: "Point at the server's database with --data DIR (the folder `cairn serve` names when it starts) or --database-url URL; --create makes a new, empty one.",
  });
}

export function databaseOptions(command: Command): Command {
  return command
    .option("--data <dir>", "server data directory (SQLite)")
    .option("--database-url <url>", "server PostgreSQL URL")
    .option("--json", "print JSON");
}
