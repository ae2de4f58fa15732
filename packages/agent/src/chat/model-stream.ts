import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
} from "@ai-sdk/provider";

/** Usage for models that count nothing (the offline model, scripted test models). */
export const noUsage: LanguageModelV3GenerateResult["usage"] = {
  inputTokens: { total: 0, noCache: 0, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 0, text: 0, reasoning: 0 },
};

/** A whole generate result as the stream parts a provider would send. */
export function streamOf(result: LanguageModelV3GenerateResult): ReadableStream<LanguageModelV3StreamPart> {
  const parts: LanguageModelV3StreamPart[] = [{ type: "stream-start", warnings: [] }];
  result.content.forEach((part, index) => {
    if (part.type === "text") {
      const id = `text-${index}`;
      parts.push({ type: "text-start", id }, { type: "text-delta", id, delta: part.text }, { type: "text-end", id });
    } else if (part.type === "tool-call") {
      parts.push(part);
    }
  });
  parts.push({ type: "finish", usage: result.usage, finishReason: result.finishReason });
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part);
      controller.close();
    },
  });
}

/**
 * A model whose answers are computed in process (the built-in offline
 * model; scripted models in tests): `answer` is its doGenerate, and its
 * doStream streams the same answer.
 */
export function inProcessModel(
  modelId: string,
  answer: (options: LanguageModelV3CallOptions) => Promise<LanguageModelV3GenerateResult>,
): LanguageModelV3 {
  return {
    specificationVersion: "v3",
    provider: "cairn",
    modelId,
    supportedUrls: {},
    doGenerate: answer,
    async doStream(options) {
      return { stream: streamOf(await answer(options)) };
    },
  };
}
