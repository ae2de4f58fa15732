import { AppError } from "@cairn/core/app-error";
import type { Command } from "commander";
import { type CliContext, credentialsOf, requireCredentials, withScope } from "../cli-context";
import { removeCredentials, scopeKey, writeCredentials } from "../credentials";
import { printResult } from "../output";

/** `cairn login|logout|whoami`. The token is read, checked against the server, saved, never printed. */
export function registerAuthCommands(program: Command, context: CliContext): void {
  program
    .command("login")
    .description("Log in to a Cairn server (token from --token, stdin, or asked for on a terminal)")
    .requiredOption("--server <url>", "server URL, e.g. http://127.0.0.1:8787")
    .option("--token <token>", "API token (or pipe it on stdin)")
    .option("--json", "print JSON")
    .action(async (options: { server: string; token?: string; json?: boolean }) => {
      // On a terminal, asked for without echo: a token on the command line stays in the shell's history.
      const token = (
        options.token ??
        (await context.readStdin()) ??
        (await context.askSecret(`Token for ${options.server} (not shown): `)) ??
        ""
      ).trim();
      if (!token)
        throw new AppError("bad_request", "No token given", {
          hint: "Pass --token TOKEN, pipe it on stdin, or run `cairn login --server URL` in a terminal to be asked.",
        });
      let server: string;
      try {
        server = new URL(options.server).toString().replace(/\/+$/, "");
      } catch {
        throw new AppError("bad_request", `"${options.server}" is not a URL`, {
          hint: "Example: --server http://127.0.0.1:8787",
        });
      }
      const { SyncClient } = await import("@cairn/sync/sync-client");
      const client = new SyncClient({ server, token, transport: context.transport });
      const { api } = await import("@cairn/core/wire/api");
      const me = await client.call(api.me, {}, AbortSignal.timeout(10_000));
      const previous = credentialsOf(context);
      const credentials = {
        version: 1 as const,
        server,
        token,
        user: me.user,
        loggedInAt: context.now().toISOString(),
        expiresAt: me.token?.expiresAt ?? null,
      };
      writeCredentials(context.paths, credentials);
      const result = {
        server,
        user: me.user,
        ...(previous && scopeKey(previous) !== scopeKey(credentials)
          ? { previous: { server: previous.server, user: previous.user } }
          : {}),
      };
      printResult(context, Boolean(options.json), result, () => `logged in to ${server} as ${me.user.name}`);
    });

  program
    .command("logout")
    .description("Forget the saved login (local stores and their queues are kept)")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const credentials = credentialsOf(context);
      let pending = 0;
      if (credentials) {
        pending = await withScope(context, credentials, async (local) => local.outbox.counts().pending);
      }
      const removed = removeCredentials(context.paths);
      printResult(context, Boolean(options.json), { loggedOut: removed, pending }, () =>
        removed
          ? `logged out${pending > 0 ? `; ${pending} row(s) stay queued for ${credentials?.user.name} until you log in again` : ""}`
          : "not logged in",
      );
    });

  program
    .command("whoami")
    .description("The saved login")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const credentials = requireCredentials(context);
      const result = { server: credentials.server, user: credentials.user };
      printResult(context, Boolean(options.json), result, () => `${credentials.user.name} on ${credentials.server}`);
    });
}
