import { nameToId } from "@cairn/core/slug";
import { type CliContext, requireCredentials, syncClientFor } from "../cli-context";

/** What this machine asks the server for (alerts, the oracle): it lives there, not in the local store. */

export interface AlertView {
  id: string;
  severity: string;
  deleteCount: number;
  blockedCount: number;
  windowStart: string;
  windowEnd: string;
  deletedIds: string[];
  acknowledgedAt: string | null;
}

export interface OracleReply {
  answer: string;
  citations: { ref: string; snippet: string; score: number; author: string | null; createdAt: string }[];
  abstained: boolean;
}

/** `cairn alerts list` (and the MCP tool `check_destruction`): the server's mass-deletion alerts. */
export async function listAlerts(context: CliContext, all: boolean): Promise<{ alerts: AlertView[]; total: number }> {
  const client = await syncClientFor(context, requireCredentials(context));
  return (await client.get(`/api/alerts${all ? "" : "?open=true"}`)) as { alerts: AlertView[]; total: number };
}

/** `cairn alerts ack` (and the MCP tool `acknowledge_destruction_alert`): blocked deletes go through again. */
export async function acknowledgeAlert(context: CliContext, id: string): Promise<unknown> {
  const client = await syncClientFor(context, requireCredentials(context));
  return client.post(`/api/alerts/${encodeURIComponent(id)}/ack`, {});
}

/** Asks the server's oracle (`cairn ask`, and the MCP tool `ask_oracle`). */
export async function askServer(
  context: CliContext,
  input: { question: string; project?: string | undefined },
): Promise<OracleReply> {
  const client = await syncClientFor(context, requireCredentials(context));
  return (await client.post("/api/oracle/ask", {
    question: input.question,
    ...(input.project ? { project: nameToId(input.project) } : {}),
  })) as OracleReply;
}
