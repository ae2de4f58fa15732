import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { offlineModel } from "@cairn/agent/chat/offline-model";
import { AppError } from "@cairn/core/app-error";
import type { ServerOptions } from "../server-options";

export type ChatModelOptions = Pick<ServerOptions, "chatProvider" | "chatModel" | "chatBaseUrl" | "chatApiKey">;

/** What `/readyz` and `cairn chat` say about the model (never the key). */
export function describeChatModel(options: ChatModelOptions): { provider: string; model: string } {
  return { provider: options.chatProvider, model: modelIdOf(options) };
}

function modelIdOf(options: ChatModelOptions): string {
  if (options.chatModel) return options.chatModel;
  if (options.chatProvider === "openai") return "gpt-4o-mini";
  if (options.chatProvider === "anthropic") return "claude-sonnet-4-5";
  return "cairn-offline";
}

/** Key and base URL when set (without one, the provider reads its own environment variable). */
function providerSettings(options: ChatModelOptions): { apiKey?: string; baseURL?: string } {
  return {
    ...(options.chatApiKey ? { apiKey: options.chatApiKey } : {}),
    ...(options.chatBaseUrl ? { baseURL: options.chatBaseUrl } : {}),
  };
}

/**
 * The configured model, through the AI SDK's providers: OpenAI, Anthropic,
 * any OpenAI-compatible server by base URL, or the built-in offline model.
 */
export function createChatModel(options: ChatModelOptions): LanguageModelV3 {
  const model = modelIdOf(options);
  switch (options.chatProvider) {
    case "offline":
      return offlineModel();
    case "openai":
      return createOpenAI(providerSettings(options)).chat(model);
    case "anthropic":
      return createAnthropic(providerSettings(options))(model);
    case "openai-compatible": {
      if (!options.chatBaseUrl) {
        throw new AppError("invalid_input", "chatBaseUrl is required for an openai-compatible provider", {
          hint: "Set CAIRN_CHAT_BASE_URL, for example http://127.0.0.1:11434/v1 for Ollama.",
        });
      }
      if (!options.chatModel) {
        throw new AppError("invalid_input", "chatModel is required for an openai-compatible provider", {
          hint: "Set CAIRN_CHAT_MODEL to the model name the server serves.",
        });
      }
      return createOpenAICompatible({
        name: "openai-compatible",
        baseURL: options.chatBaseUrl,
        ...(options.chatApiKey ? { apiKey: options.chatApiKey } : {}),
        includeUsage: true,
      }).chatModel(model);
    }
  }
}
