import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { AppError } from "@cairn/core/app-error";
import type { Embedder } from "@cairn/core/embeddings/embedder";
import { embedMany } from "ai";
import type { ServerOptions } from "../server-options";

export type EmbeddingOptions = Pick<
  ServerOptions,
  "embeddingProvider" | "embeddingModel" | "embeddingBaseUrl" | "embeddingApiKey"
>;

/**
 * The configured embedding model through the AI SDK (OpenAI, or any
 * OpenAI-compatible server such as Ollama by base URL), or null when none is
 * configured: search is then BM25 alone. The key is never logged.
 */
export function createEmbedder(options: EmbeddingOptions): Embedder | null {
  if (options.embeddingProvider === "none") return null;
  const model = options.embeddingModel ?? (options.embeddingProvider === "openai" ? "text-embedding-3-small" : "");
  if (!model) {
    throw new AppError("invalid_input", "embeddingModel is required for an openai-compatible embedding provider", {
      hint: "Set CAIRN_EMBEDDING_MODEL, for example nomic-embed-text for Ollama.",
    });
  }
  let embeddingModel: Parameters<typeof embedMany>[0]["model"];
  if (options.embeddingProvider === "openai") {
    embeddingModel = createOpenAI({
      ...(options.embeddingApiKey ? { apiKey: options.embeddingApiKey } : {}),
      ...(options.embeddingBaseUrl ? { baseURL: options.embeddingBaseUrl } : {}),
    }).embedding(model);
  } else {
    if (!options.embeddingBaseUrl) {
      throw new AppError("invalid_input", "embeddingBaseUrl is required for an openai-compatible embedding provider", {
        hint: "Set CAIRN_EMBEDDING_BASE_URL, for example http://127.0.0.1:11434/v1 for Ollama.",
      });
    }
    embeddingModel = createOpenAICompatible({
      name: "openai-compatible",
      baseURL: options.embeddingBaseUrl,
      ...(options.embeddingApiKey ? { apiKey: options.embeddingApiKey } : {}),
    }).embeddingModel(model);
  }
  return {
    provider: options.embeddingProvider,
    model,
    async embed(texts, call = {}) {
      const result = await embedMany({
        model: embeddingModel,
        values: texts,
        // No retries here: a background embedding is retried by its job (with backoff), and a search's
        // query embedding falls back to BM25 rather than wait.
        maxRetries: 0,
        ...(call.signal ? { abortSignal: call.signal } : {}),
      });
      return result.embeddings;
    },
  };
}
