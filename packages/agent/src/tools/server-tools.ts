import { slugSchema } from "@cairn/core/entities";
import * as z from "zod";
import { defineTool } from "./tool";

/** The tools over what only the server holds: the oracle, the destruction alerts, the recovery. */

export const askOracleTool = defineTool({
  name: "ask_oracle",
  description:
    "Ask a question of everything recorded: the answer cites the entries and memories it comes from, or says " +
    "memory holds nothing on it (abstained). Prefer it to guessing about past decisions.",
  readOnly: true,
  destructive: false,
  input: z.object({ question: z.string().min(1).max(2000), project: slugSchema.optional() }),
  run: (context, input) => context.server.askOracle(input),
});

export const checkDestructionTool = defineTool({
  name: "check_destruction",
  description:
    "Mass-deletion alerts the server raised (many deletes in a short window): how many, when, which ids, and " +
    "whether deletes are being blocked until someone acknowledges. Open ones only unless `all`.",
  readOnly: true,
  destructive: false,
  input: z.object({ all: z.boolean().optional() }),
  run: (context, input) => context.server.listAlerts(Boolean(input.all)),
});

export const acknowledgeDestructionTool = defineTool({
  name: "acknowledge_destruction_alert",
  description:
    "Acknowledge a mass-deletion alert after the user confirmed the deletes were intended: deletes the guard " +
    "blocked go through again. Ask the user first; never acknowledge on your own.",
  readOnly: false,
  destructive: true,
  input: z.object({ id: z.string().min(1).max(64) }),
  run: (context, input) => context.server.acknowledgeAlert(input.id),
});

export const bootstrapRecoveryTool = defineTool({
  name: "bootstrap_recovery",
  description:
    "What a recovery of this account would bring back from the server, verified by counts and digests. A dry " +
    "run by default; from a machine, pass dry_run false to rebuild its local store.",
  readOnly: false,
  destructive: false,
  input: z.object({
    dry_run: z.boolean().optional(),
    project: z.string().min(1).max(64).optional(),
    since: z.string().max(40).optional(),
  }),
  run: (context, input) =>
    context.server.recover({ dryRun: input.dry_run ?? true, project: input.project, since: input.since }),
});
