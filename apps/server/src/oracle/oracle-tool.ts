import { slugSchema } from "@cairn/core/entities";
import { defineTool, type ToolDefinition } from "@cairn/core/tools/tool";
import * as z from "zod";
import { askOracle, type OracleDeps } from "./ask-oracle";

/** The oracle as a tool (MCP on the server): the user comes from the tool context, as for every tool. */
export function oracleTool(deps: OracleDeps): ToolDefinition {
  return defineTool({
    name: "ask_oracle",
    description:
      "Ask a question of everything recorded: the answer cites the entries and memories it comes from, or says " +
      "memory holds nothing on it (abstained). Prefer it to guessing about past decisions.",
    readOnly: true,
    destructive: false,
    input: z.object({ question: z.string().min(1).max(2000), project: slugSchema.optional() }),
    run: (context, input) => askOracle(deps, context.userId, input),
  }) as ToolDefinition;
}
