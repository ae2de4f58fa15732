import { toAppError } from "@cairn/core/app-error";
import type { ToolInvocation } from "@cairn/core/chat/chat-entities";
import type { ToolContext, ToolDefinition } from "@cairn/core/tools/tool";
import { type Tool, type ToolSet, tool } from "ai";

/** How each call of a turn ended: its result and whether it succeeded (the response's tool_calls). */
export type ToolOutcomes = Map<string, { result: unknown; success: boolean }>;

/**
 * The registry's tools as AI SDK tools, for one turn of one user. Each call
 * is idempotent per tool-call id: a call id seen before returns the stored
 * outcome and runs nothing. A failing tool answers the model with the error
 * (code and message) rather than ending the turn, so the model can tell the
 * user or try another way.
 */
export function agentToolSet(
  definitions: ToolDefinition[],
  context: ToolContext,
  outcomes: ToolOutcomes,
  record: (invocation: ToolInvocation) => Promise<void>,
  logInternal: (error: unknown) => void = () => {},
): ToolSet {
  const set: Record<string, Tool> = {};
  for (const definition of definitions) {
    set[definition.name] = tool({
      description: definition.description,
      inputSchema: definition.input,
      execute: async (input: unknown, { toolCallId }: { toolCallId: string }) => {
        const stored = await context.store.getToolInvocation(context.userId, toolCallId);
        if (stored) {
          outcomes.set(toolCallId, { result: stored.result, success: stored.success });
          return stored.result;
        }
        let result: unknown;
        let success = true;
        try {
          result = await definition.run(context, input);
        } catch (error) {
          const appError = toAppError(error);
          // A bug's cause goes to the server log; the model (and the provider) see only "Internal error".
          if (appError.code === "internal") logInternal(appError.cause ?? appError);
          success = false;
          result = {
            error: { code: appError.code, message: appError.code === "internal" ? "Internal error" : appError.message },
          };
        }
        await record({
          toolCallId,
          toolName: definition.name,
          result,
          success,
          createdAt: context.now().toISOString(),
        });
        outcomes.set(toolCallId, { result, success });
        return result;
      },
    }) as Tool;
  }
  return set as ToolSet;
}
