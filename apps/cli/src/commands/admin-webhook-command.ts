import type { AccountDeps } from "@cairn/core/accounts/create-user";
import { AppError } from "@cairn/core/app-error";
import { type AddressPolicy, addressPolicyOf } from "@cairn/core/webhooks/address-policy";
import type { Command } from "commander";
import type { CliContext } from "../cli-context";
import { printResult } from "../output";
import { type DatabaseOptions, databaseOptions, withAccounts } from "./admin-database";

interface UserOptions extends DatabaseOptions {
  user: string;
}

async function userIdOf(deps: AccountDeps, name: string): Promise<string> {
  const user = await deps.store.system.findUserByName(name);
  if (!user) throw new AppError("not_found", `No user named ${name}`, { hint: "cairn admin user add NAME" });
  return user.id;
}

/** The named user's rows, with the server's secrets, ids and time. */
async function userDepsOf(deps: AccountDeps, name: string) {
  return { ...deps, store: deps.store.forUser(await userIdOf(deps, name)) };
}

/** The hosts webhooks may reach although internal, as the server is configured (CAIRN_WEBHOOK_ALLOW_HOSTS). */
function webhookPolicy(context: CliContext): AddressPolicy {
  return addressPolicyOf(context.env.CAIRN_WEBHOOK_ALLOW_HOSTS);
}

const withUser = (command: Command) =>
  databaseOptions(command.option("--user <name>", "the user whose events these are", "admin"));

/**
 * `cairn admin webhook add|list|remove|test|deliveries` and `cairn admin
 * webhook source add|list|remove`, on the server's database (SPEC section 9).
 */
export function registerAdminWebhookCommand(admin: Command, context: CliContext): void {
  const webhook = admin.command("webhook").description("Signed webhooks: outbound endpoints and inbound sources");
  const hooks = () => import("@cairn/core/operations/webhooks");

  withUser(
    webhook
      .command("add")
      .description("Send a user's events to a URL, signed (the secret is shown once)")
      .argument("<url>")
      .requiredOption(
        "--events <list>",
        "comma-separated: entry.created,memory.created,memory.updated,task.changed,session.ended,destruction.alert",
      ),
  ).action(async (url: string, options: UserOptions & { events: string }) => {
    const { addWebhook } = await hooks();
    const events = options.events
      .split(",")
      .map((event) => event.trim())
      .filter(Boolean);
    const created = await withAccounts(context, options, async (deps) =>
      addWebhook(
        { ...(await userDepsOf(deps, options.user)), webhookPolicy: webhookPolicy(context) },
        {
          url,
          events: events as never,
        },
      ),
    );
    printResult(context, Boolean(options.json), created, () =>
      [
        `webhook ${created.webhook.id} → ${created.webhook.url} (${created.webhook.events.join(", ")})`,
        `signing secret (shown once): ${created.secret}`,
        'verify: HMAC-SHA256(secret, "<t>.<raw body>") equals v1 of the Cairn-Signature header t=<t>,v1=<hex>',
      ].join("\n"),
    );
  });

  withUser(webhook.command("list").description("A user's webhooks (never their secrets)")).action(
    async (options: UserOptions) => {
      const { listWebhooks } = await hooks();
      const listed = await withAccounts(context, options, async (deps) =>
        listWebhooks(await userDepsOf(deps, options.user)),
      );
      printResult(context, Boolean(options.json), listed, () =>
        listed.webhooks.length === 0
          ? "no webhooks"
          : listed.webhooks.map((each) => `${each.id}  ${each.url}  ${each.events.join(",")}`).join("\n"),
      );
    },
  );

  withUser(webhook.command("remove").description("Stop sending to a webhook").argument("<id>")).action(
    async (id: string, options: UserOptions) => {
      const { removeWebhook } = await hooks();
      const removed = await withAccounts(context, options, async (deps) =>
        removeWebhook(await userDepsOf(deps, options.user), id),
      );
      printResult(context, Boolean(options.json), removed, () => `removed webhook ${id}`);
    },
  );

  withUser(
    webhook.command("test").description("Send a signed webhook.test event now and show the answer").argument("<id>"),
  ).action(async (id: string, options: UserOptions) => {
    const { sendTestEvent } = await import("@cairn/server/webhooks/test-delivery");
    const result = await withAccounts(context, options, async (deps) =>
      sendTestEvent({ ...deps, webhookPolicy: webhookPolicy(context) }, await userIdOf(deps, options.user), id),
    );
    if (result.error !== null) {
      throw new AppError("upstream_error", `The test event was not delivered: ${result.error}`, { details: result });
    }
    printResult(
      context,
      Boolean(options.json),
      result,
      () => `delivered: ${result.httpStatus} in ${Math.round(result.durationMs)} ms`,
    );
  });

  withUser(
    webhook
      .command("deliveries")
      .description("The delivery log: each event per endpoint, attempts, last status and timing")
      .option("--webhook <id>", "one webhook")
      .option("--status <status>", "pending|delivered|dead")
      .option("--limit <n>", "rows (default 20)"),
  ).action(async (options: UserOptions & { webhook?: string; status?: string; limit?: string }) => {
    const { listWebhookDeliveries } = await hooks();
    const listed = await withAccounts(context, options, async (deps) =>
      listWebhookDeliveries(await userDepsOf(deps, options.user), {
        ...(options.webhook ? { webhook: options.webhook } : {}),
        ...(options.status ? { status: options.status as "pending" } : {}),
        ...(options.limit ? { limit: options.limit } : {}),
      }),
    );
    printResult(context, Boolean(options.json), listed, () =>
      listed.deliveries.length === 0
        ? "no deliveries"
        : listed.deliveries
            .map(
              (each) =>
                `${each.id}  ${each.eventType.padEnd(17)} ${each.status.padEnd(9)} attempts ${each.attempts}` +
                `  ${each.lastStatus ?? "-"}  ${each.lastDurationMs ?? "-"} ms${each.lastError ? `  ${each.lastError}` : ""}`,
            )
            .join("\n"),
    );
  });

  const source = webhook.command("source").description("Inbound sources for POST /api/webhooks/ingest");
  withUser(source.command("add").description("A new source (its secret is shown once)").argument("<name>")).action(
    async (name: string, options: UserOptions) => {
      const { addWebhookSource } = await hooks();
      const created = await withAccounts(context, options, async (deps) =>
        addWebhookSource(await userDepsOf(deps, options.user), { name }),
      );
      printResult(context, Boolean(options.json), created, () =>
        [
          `source ${created.source.id} (${created.source.name})`,
          `signing secret (shown once): ${created.secret}`,
          'send: POST /api/webhooks/ingest with Cairn-Source: <id> and Cairn-Signature: t=<unix>,v1=<HMAC-SHA256(secret, "<t>.<body>")>',
        ].join("\n"),
      );
    },
  );
}
