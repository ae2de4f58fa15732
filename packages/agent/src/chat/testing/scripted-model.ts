import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
} from "@ai-sdk/provider";
import { inProcessModel, noUsage } from "../model-stream";

/** One scripted model step: what to answer, given the prompt (throw to fail the call). */
export type ScriptStep = (
  prompt: LanguageModelV3Prompt,
  options: LanguageModelV3CallOptions,
) => LanguageModelV3GenerateResult | Promise<LanguageModelV3GenerateResult>;

export interface ScriptedModel extends LanguageModelV3 {
  /** Every prompt the model was called with, in order. */
  prompts: LanguageModelV3Prompt[];
  /** Appends steps; each model call takes the next one. */
  push(...steps: ScriptStep[]): void;
  remaining(): number;
}

/** A fake of the model interface for tests: answers come from a script, calls are recorded. */
export function scriptedModel(...initial: ScriptStep[]): ScriptedModel {
  const steps = [...initial];
  const prompts: LanguageModelV3Prompt[] = [];
  const model = inProcessModel("scripted", async (options) => {
    prompts.push(options.prompt);
    const step = steps.shift();
    if (!step) throw new Error("The scripted model has no step left");
    return step(options.prompt, options);
  });
  return Object.assign(model, {
    prompts,
    push: (...more: ScriptStep[]) => {
      steps.push(...more);
    },
    remaining: () => steps.length,
  });
}

let calls = 0;

export const say =
  (text: string): ScriptStep =>
  () => ({
    content: [{ type: "text", text }],
    finishReason: { unified: "stop", raw: "stop" },
    usage: noUsage,
    warnings: [],
  });

/** A step that calls tools; `input` may read the prompt (a confirmation id from an earlier result). */
export const call =
  (
    ...tools: { name: string; input: unknown | ((prompt: LanguageModelV3Prompt) => unknown); id?: string }[]
  ): ScriptStep =>
  (prompt) => ({
    content: tools.map((tool) => ({
      type: "tool-call" as const,
      toolCallId: tool.id ?? `call_${++calls}_${Date.now()}`,
      toolName: tool.name,
      input: JSON.stringify(
        typeof tool.input === "function" ? (tool.input as (p: LanguageModelV3Prompt) => unknown)(prompt) : tool.input,
      ),
    })),
    finishReason: { unified: "tool-calls", raw: "tool_calls" },
    usage: noUsage,
    warnings: [],
  });

export const refuse = (): ScriptStep => () => ({
  content: [{ type: "text", text: "" }],
  finishReason: { unified: "content-filter", raw: "content_filter" },
  usage: noUsage,
  warnings: [],
});

/** The JSON results of the tool results in a prompt, newest last. */
export function toolResults(prompt: LanguageModelV3Prompt): Record<string, unknown>[] {
  const results: Record<string, unknown>[] = [];
  for (const message of prompt) {
    if (message.role !== "tool") continue;
    for (const part of message.content) {
      if (part.type === "tool-result" && part.output.type === "json")
        results.push(part.output.value as Record<string, unknown>);
    }
  }
  return results;
}
