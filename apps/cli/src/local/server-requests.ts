import { nameToId } from "@cairn/core/slug";
import type { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { type CliContext, requireCredentials, syncClientFor } from "../cli-context";

/** What this machine asks the server for (alerts, the oracle): it lives there, not in the local store. */

export type AlertView = OutputOf<typeof api.listAlerts>["alerts"][number];
export type OracleReply = OutputOf<typeof api.ask>;

async function table() {
  return (await import("@cairn/core/wire/api")).api;
}

/** `cairn alerts list` (and the MCP tool `check_destruction`): the server's mass-deletion alerts. */
export async function listAlerts(context: CliContext, all: boolean) {
  const client = await syncClientFor(context, requireCredentials(context));
  return client.call((await table()).listAlerts, { query: all ? {} : { open: true } });
}

/** `cairn alerts ack` (and the MCP tool `acknowledge_destruction_alert`): blocked deletes go through again. */
export async function acknowledgeAlert(context: CliContext, id: string) {
  const client = await syncClientFor(context, requireCredentials(context));
  return client.call((await table()).ackAlert, { params: { id } });
}

/** Asks the server's oracle (`cairn ask`, and the MCP tool `ask_oracle`). */
export async function askServer(
  context: CliContext,
  input: { question: string; project?: string | undefined },
): Promise<OracleReply> {
  const client = await syncClientFor(context, requireCredentials(context));
  return client.call((await table()).ask, {
    body: { question: input.question, ...(input.project ? { project: nameToId(input.project) } : {}) },
  });
}
