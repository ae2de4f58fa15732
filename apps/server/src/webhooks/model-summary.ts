import type { LanguageModelV3 } from "@ai-sdk/provider";
import { generateText } from "ai";

/** Characters of session text sent to the model for a summary. */
const promptChars = 12_000;

/** A 2 to 3 sentence summary of a session's entries and memories by the configured model. */
export async function modelSummary(model: LanguageModelV3, texts: string[], signal: AbortSignal): Promise<string> {
  const material = texts.join("\n---\n").slice(0, promptChars);
  const result = await generateText({
    model,
    abortSignal: signal,
    maxRetries: 2,
    system:
      "You summarise a work session for the person's memory. Answer with two or three plain sentences: what was " +
      "worked on, what was decided or done, what is left. Use only the text given; no preamble, no lists.",
    prompt: material,
  });
  return result.text;
}
