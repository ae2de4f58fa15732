import { AppError } from "@cairn/core/app-error";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { printResult } from "../output";
import { type DatabaseOptions, databaseName, databaseOptions, withAccounts } from "./admin-database";
import { registerAdminJobsCommand } from "./admin-jobs-command";
import { registerAdminWebhookCommand } from "./admin-webhook-command";

/** `cairn admin user add` and `cairn admin token add|list|revoke`, on the server database. */
export function registerAdminCommands(program: Command, context: CliContext): void {
  const admin = program.command("admin").description("Administer the server's database directly");
  registerAdminJobsCommand(admin, context);
  registerAdminWebhookCommand(admin, context);
  const user = admin.command("user").description("Users");
  databaseOptions(
    user
      .command("add")
      .description("Create a user and its first token (shown once)")
      .argument("<name>")
      .option("--create", "make the server database when there is none yet"),
  ).action(async (name: string, options: DatabaseOptions) => {
    const { createUser } = await import("@cairn/core/accounts/create-user");
    const database = databaseName(context, options).name;
    const created = await withAccounts(context, options, (deps) => createUser(deps, { name }));
    const result = { user: { id: created.user.id, name: created.user.name }, token: created.token, database };
    printResult(
      context,
      Boolean(options.json),
      result,
      () => `created user ${name} (${created.user.id}) in ${database}\ntoken (shown once): ${created.token}`,
    );
  });

  databaseOptions(user.command("list").description("Every user of the server database, with their live tokens")).action(
    async (options: DatabaseOptions) => {
      const database = databaseName(context, options).name;
      const listed = await withAccounts(context, options, (deps) =>
        deps.store.system.listUsers({ limit: 1000, offset: 0 }),
      );
      const result = { ...listed, database };
      printResult(context, Boolean(options.json), result, () =>
        [
          `${listed.total} user(s) in ${database}`,
          ...listed.users.map(
            (each) => `  ${each.name}  ${each.id}  created ${each.createdAt}  ${each.activeTokens} live token(s)`,
          ),
        ].join("\n"),
      );
    },
  );

  const token = admin.command("token").description("API tokens");
  databaseOptions(
    token
      .command("add")
      .description("Issue another token for a user (shown once)")
      .argument("<user>")
      .option("--name <name>", "a label for the token", "default")
      .option("--expires-in-days <days>", "expiry"),
  ).action(async (userName: string, options: DatabaseOptions & { name: string; expiresInDays?: string }) => {
    const { createToken } = await import("@cairn/core/accounts/create-token");
    const created = await withAccounts(context, options, (deps) =>
      createToken(deps, {
        user: userName,
        name: options.name,
        ...(options.expiresInDays ? { expiresInDays: Number(options.expiresInDays) } : {}),
      }),
    );
    const result = {
      tokenId: created.tokenId,
      user: { id: created.user.id, name: created.user.name },
      token: created.token,
      expiresAt: created.expiresAt,
    };
    printResult(
      context,
      Boolean(options.json),
      result,
      () => `token ${created.tokenId} for ${userName} (shown once): ${created.token}`,
    );
  });

  databaseOptions(token.command("list").description("A user's tokens (never their values)").argument("<user>")).action(
    async (userName: string, options: DatabaseOptions) => {
      const tokens = await withAccounts(context, options, async (deps) => {
        const found = await deps.store.system.findUserByName(userName);
        if (!found) throw new AppError("not_found", `No user named "${userName}"`);
        return deps.store.forUser(found.id).listTokens();
      });
      printResult(context, Boolean(options.json), { tokens }, () =>
        tokens
          .map(
            (item) =>
              `${item.id} ${item.name} ${item.revokedAt ? "revoked" : "active"} last used ${item.lastUsedAt ?? "never"}`,
          )
          .join("\n"),
      );
    },
  );

  databaseOptions(
    token.command("revoke").description("Revoke a token").argument("<user>").argument("<tokenId>"),
  ).action(async (userName: string, tokenId: string, options: DatabaseOptions) => {
    const revoked = await withAccounts(context, options, async (deps) => {
      const found = await deps.store.system.findUserByName(userName);
      if (!found) throw new AppError("not_found", `No user named "${userName}"`);
      return deps.store.system.transaction((tx) => tx.forUser(found.id).revokeToken(tokenId, deps.now().toISOString()));
    });
    if (!revoked) throw new AppError("not_found", `No active token ${tokenId} for ${userName}`);
    printResult(context, Boolean(options.json), { revoked: tokenId }, () => `revoked ${tokenId}`);
  });
}
