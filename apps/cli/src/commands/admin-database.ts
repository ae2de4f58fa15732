import type { AccountDeps } from "@cairn/core/accounts/create-user";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { defaultServerDataDir } from "../paths";

export interface DatabaseOptions {
  data?: string;
  databaseUrl?: string;
  json?: boolean;
}

/** Opens the server's database directly (server running or not) for one admin command. */
export async function withAccounts<T>(
  context: CliContext,
  options: DatabaseOptions,
  work: (deps: AccountDeps) => Promise<T>,
): Promise<T> {
  const { openServerStore } = await import("@cairn/server/open-server-store");
  const { nodeSecrets } = await import("@cairn/server/node-secrets");
  const databaseUrl = options.databaseUrl ?? context.env.CAIRN_DATABASE_URL;
  const store = await openServerStore({
    dataDir: options.data ?? defaultServerDataDir(context.paths, context.env),
    databaseUrl,
    sqliteBinding: context.sqliteBinding,
  });
  try {
    return await work({ store, secrets: nodeSecrets, newId: context.newId, now: context.now });
  } finally {
    await store.close();
  }
}

export function databaseOptions(command: Command): Command {
  return command
    .option("--data <dir>", "server data directory (SQLite)")
    .option("--database-url <url>", "server PostgreSQL URL")
    .option("--json", "print JSON");
}
