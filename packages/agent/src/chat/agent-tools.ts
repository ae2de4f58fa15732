import { toAppError } from "@cairn/core/app-error";
import type { ToolInvocation } from "@cairn/core/chat/chat-entities";
import { type Tool, type ToolSet, tool } from "ai";
import type { ToolContext, ToolDefinition } from "../tools/tool";
import type { ToolUnit } from "./tool-unit";

/** How each call of a turn ended: its result and whether it succeeded (the response's tool_calls). */
export type ToolOutcomes = Map<string, { result: unknown; success: boolean }>;

/** What a turn's tools need around each call. */
export interface ToolCalls {
  /** The turn's context: the user, the stores to read, the conversation. */
  context: ToolContext;
  /** A unit of work for one call: its writes and its invocation record commit together. */
  unit(): ToolUnit;
  /** Records the outcome of a call that wrote nothing (it failed). */
  record(invocation: ToolInvocation): Promise<void>;
  /** Named points where crash tests stop the process (around a call's commit). */
  faultPoint?: ((point: "tool.ran" | "tool.committed") => void) | undefined;
  /** Where a tool's internal error is logged (its cause never reaches the model). */
  logInternal?: ((error: unknown) => void) | undefined;
}

function failure(error: unknown, logInternal: (error: unknown) => void) {
  const appError = toAppError(error);
  // A bug's cause goes to the server log; the model (and the provider) see only "Internal error".
  if (appError.code === "internal") logInternal(appError.cause ?? appError);
  return {
    error: { code: appError.code, message: appError.code === "internal" ? "Internal error" : appError.message },
  };
}

/**
 * The registry's tools as AI SDK tools, for one turn of one user. Each call
 * is idempotent per tool-call id: a call id seen before returns the stored
 * outcome and runs nothing. A call's writes and its record commit in one
 * transaction, so a crash can never leave one without the other. A failing
 * tool answers the model with the error (code and message) rather than
 * ending the turn, so the model can tell the user or try another way.
 */
export function agentToolSet(definitions: ToolDefinition[], calls: ToolCalls, outcomes: ToolOutcomes): ToolSet {
  const logInternal = calls.logInternal ?? (() => {});
  const set: Record<string, Tool> = {};
  for (const definition of definitions) {
    set[definition.name] = tool({
      description: definition.description,
      inputSchema: definition.input,
      execute: async (input: unknown, { toolCallId }: { toolCallId: string }) => {
        const { context } = calls;
        const stored = await context.store.getToolInvocation(toolCallId);
        if (stored) {
          outcomes.set(toolCallId, { result: stored.result, success: stored.success });
          return stored.result;
        }
        const invocation = (result: unknown, success: boolean): ToolInvocation => ({
          toolCallId,
          toolName: definition.name,
          result,
          success,
          createdAt: context.now().toISOString(),
        });
        const unit = calls.unit();
        let result: unknown;
        let success = true;
        try {
          result = await definition.run(unit.context, input);
        } catch (error) {
          success = false;
          result = failure(error, logInternal);
        }
        if (success) {
          calls.faultPoint?.("tool.ran");
          try {
            await unit.commit(invocation(result, true));
          } catch (error) {
            success = false;
            result = failure(error, logInternal);
          }
          if (success) calls.faultPoint?.("tool.committed");
        }
        // A failed call wrote nothing: its outcome is recorded on its own.
        if (!success) await calls.record(invocation(result, false));
        outcomes.set(toolCallId, { result, success });
        return result;
      },
    }) as Tool;
  }
  return set as ToolSet;
}
