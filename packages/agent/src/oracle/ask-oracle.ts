import type { LanguageModelV3 } from "@ai-sdk/provider";
import { askInput, type OracleSource, oracleSources } from "@cairn/core/operations/oracle-sources";
import type { UserScopes } from "@cairn/core/user-scope";
import { parseInput } from "@cairn/core/validate";
import { streamText } from "ai";
import { streamWithDeadline } from "../chat/stream-with-deadline";
import { classifyTurnError } from "../chat/turn-errors";
import { extractiveAnswer } from "./extractive-answer";

export interface Citation {
  ref: string;
  snippet: string;
  score: number;
  author: string | null;
  createdAt: string;
}

export interface OracleAnswer {
  answer: string;
  citations: Citation[];
  abstained: boolean;
}

export interface OracleDeps {
  /** Each user's scope: retrieval reads the asking user's rows (and embeddings) only. */
  scopes: UserScopes;
  /** The configured model; null: the built-in offline model answers extractively. */
  model: LanguageModelV3 | null;
  oracle: { budgetTokens: number; timeoutMs: number; retries: number };
}

const nothing = "Memory holds nothing about that.";

function citationOf(source: OracleSource): Citation {
  return {
    ref: source.ref,
    snippet: source.snippet,
    score: source.score,
    author: source.author,
    createdAt: source.createdAt,
  };
}

/**
 * The oracle (SPEC section 4): retrieve within a token budget, answer from
 * the sources only, cite them. A citation is kept only when it names a
 * source this request retrieved (checked here, whatever the model wrote); an
 * answer whose citations all fail, or a model that finds nothing, abstains,
 * as does a question memory holds nothing about.
 */
export async function askOracle(
  deps: OracleDeps,
  userId: string,
  body: unknown,
  emit: (delta: string) => void = () => {},
): Promise<OracleAnswer> {
  const input = parseInput(askInput, body ?? {});
  const { sources, query } = await oracleSources(deps.scopes(userId), {
    question: input.question,
    project: input.project,
    budgetTokens: deps.oracle.budgetTokens,
  });
  if (sources.length === 0) {
    emit(nothing);
    return { answer: nothing, citations: [], abstained: true };
  }
  if (deps.model === null) {
    const { answer, cited } = extractiveAnswer(sources, query);
    if (cited.length === 0) {
      emit(nothing);
      return { answer: nothing, citations: [], abstained: true };
    }
    emit(answer);
    return { answer, citations: cited, abstained: false };
  }
  return generate(deps, deps.model, input.question, sources, emit);
}

async function generate(
  deps: OracleDeps,
  model: LanguageModelV3,
  question: string,
  sources: OracleSource[],
  emit: (delta: string) => void,
): Promise<OracleAnswer> {
  // Each source with the entries around it in its thread (the answer to a question is often the next turn).
  const listed = sources
    .map((source, index) => {
      const by = source.author ? `${source.author}, ` : "";
      const around = source.context
        .map(
          (near) =>
            `    (next to it, ${near.author ? `${near.author}, ` : ""}${near.createdAt.slice(0, 10)}) ${near.content}`,
        )
        .join("\n");
      return `[${index + 1}] (${source.ref}, ${by}${source.createdAt.slice(0, 10)}) ${source.text}${around ? `\n${around}` : ""}`;
    })
    .join("\n\n");
  let text = "";
  const { failure, timedOut } = await streamWithDeadline(
    deps.oracle.timeoutMs,
    (abortSignal) =>
      streamText({
        model,
        system:
          "Answer the question only from the numbered sources. After each statement, cite its source number in " +
          "brackets, like [2]. Do not use anything else you know. If the sources do not answer the question, reply " +
          "exactly NOTHING.",
        prompt: `Sources:\n${listed}\n\nQuestion: ${question}`,
        maxRetries: deps.oracle.retries,
        abortSignal,
        onError: () => {},
      }),
    (part) => {
      if (part.type === "text-delta") {
        text += part.text;
        emit(part.text);
      }
    },
  );
  if (failure !== null || timedOut) throw classifyTurnError(failure, timedOut);
  const answer = text.trim();
  if (answer === "" || /^NOTHING\.?$/i.test(answer)) return { answer: nothing, citations: [], abstained: true };
  // Keep the markers that name a retrieved source; drop the rest from the text and the citations.
  const used: number[] = [];
  const checked = answer.replace(/\[(\d{1,3})\]/g, (marker, number: string) => {
    const index = Number(number) - 1;
    if (index < 0 || index >= sources.length) return "";
    if (!used.includes(index)) used.push(index);
    return marker;
  });
  if (used.length === 0) return { answer: nothing, citations: [], abstained: true };
  return {
    answer: checked
      .replace(/\s{2,}/g, " ")
      .replace(/\s+([.,;:!?])/g, "$1")
      .trim(),
    citations: used.map((index) => citationOf(sources[index] as OracleSource)),
    abstained: false,
  };
}
