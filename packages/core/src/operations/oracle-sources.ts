import * as z from "zod";
import { slugSchema } from "../entities";
import { analyzeQuery, type QueryAnalysis } from "../search/query-analysis";
import type { EmbeddingReads, EntryReads, MemoryReads, TaskReads } from "../store/store-roles";

/** What the oracle reads: search's roles (it searches) and the rows it cites. */
type OracleReads = EntryReads & MemoryReads & TaskReads & EmbeddingReads;

import { parseInput } from "../validate";
import {
  type AbstentionModel,
  type AnswerabilitySignals,
  answerabilitySignals,
  tellingRow,
  unanswerableChance,
} from "./answerability";
import { entryRef } from "./citation-ref";
import { type NeighbourEntry, type SearchDeps, search, type UnifiedHit } from "./search";

export const askInput = z.object({
  question: z
    .string()
    .refine((text) => /\S/.test(text), "must not be empty")
    .refine((text) => text.length <= 2_000, "must be at most 2,000 characters"),
  project: slugSchema.optional(),
  stream: z.boolean().optional(),
});

/** A retrieved source the oracle may cite: the full text (cut to the budget) and what a citation shows. */
export interface OracleSource {
  /** `thread:<thread>#<entry id>` or `memory:<id>` (SPEC section 4): one row, without ambiguity. */
  ref: string;
  type: "entry" | "memory";
  id: string;
  text: string;
  snippet: string;
  score: number;
  author: string | null;
  createdAt: string;
  project: string | null;
  /** How much of the question's content words (weighted by rarity) it holds, 0 to 1. */
  coverage: number;
  /** The entries just before and after it in its thread, oldest first (entries only). */
  context: NeighbourEntry[];
  /** Its thread (entries only): a neighbour's reference is in the same thread. */
  thread: string | null;
}

/**
 * What decides relevance, tuned on LoCoMo's development split (docs/retrieval-eval.md):
 * `sourceCoverage`, the share of a question's content words (weighted by rarity) a row must hold
 * to be a source; `specificRows`, how many rows may hold every other word of a question with a
 * word memory never saw before it is taken to ask about something never recorded;
 * `answerSentences`, how many sentences (from as many rows) the built-in model's answer may hold,
 * and `alsoShare`, how close to the best one's score another must be to join it; `abstention`,
 * the model that decides whether memory holds the answer at all (see answerability.ts), fitted by
 * `npm run eval -- --locomo DIR --fit-abstention`.
 */
export const oracleTuning: {
  sourceCoverage: number;
  specificRows: number;
  answerSentences: number;
  alsoShare: number;
  abstention: AbstentionModel;
} = {
  sourceCoverage: 0.2,
  specificRows: 3,
  answerSentences: 3,
  alsoShare: 0.8,
  // Fitted on the development split, false abstention held to 14% on SQLite and PostgreSQL (docs/retrieval-eval.md).
  abstention: {
    bias: -0.1658,
    weights: {
      namedCoverage: -1.83,
      namedHits: -0.5329,
      namedSecond: 0.2349,
      namedFirst: -0.2538,
      namedReacts: 0.6766,
      namedRows: -0.03514,
      otherCoverage: 1.28,
      otherHits: 0.7152,
      otherSecond: -0.7236,
      otherFirst: 0.1122,
      otherReacts: -0.7741,
      otherRows: 0.08713,
      holdingAll: 0.6816,
      bestCoverage: -1.489,
    },
    threshold: 0.34,
  },
};

/** How many of search's hits the oracle weighs. */
const considered = 20;

/** Tokens, roughly: 4 characters each. */
function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface OracleRetrieval {
  sources: OracleSource[];
  query: QueryAnalysis;
  /** The content words no row holds (the question is then about something memory never saw, or paraphrases). */
  unknown: string[];
  /** Why there are no sources, when there are none. */
  abstention?: "no_topic" | "unknown_words" | "nothing_relevant" | "not_recorded";
  /** What the abstention model read, when it judged the question (the evaluation fits the model on them). */
  signals?: AnswerabilitySignals;
}

/**
 * Retrieval for the oracle: unified search over entries and memories with the question as asked
 * (ranked for questions: see search), the whole text of its best hits with the entries just
 * before and after each in its thread, then chooseSources, then as many as the token budget
 * holds, best first. No sources means memory holds nothing on the question: the oracle abstains.
 */
export async function oracleSources(
  deps: SearchDeps,
  input: { question: string; project?: string | undefined; budgetTokens: number },
): Promise<OracleRetrieval> {
  const parsed = parseInput(askInput.pick({ question: true, project: true }), input);
  const query = analyzeQuery(parsed.question, deps.now?.() ?? new Date());
  if (query.onlyStopWords || query.content.length === 0) {
    return { sources: [], query, unknown: [], abstention: "no_topic" };
  }
  // A topic word found nowhere in memory ("pangolin") may be the very thing asked about, or a paraphrase
  // ("substitute" for "instead of"). A question most of whose words memory never saw is about something else.
  const present = await deps.store.presentTerms(query.content);
  const unknown = query.content.filter((term) => !present.has(term));
  if (unknown.length * 2 >= query.content.length) return { sources: [], query, unknown, abstention: "unknown_words" };
  // The question without its unknown words: they would weigh most (no row holds them) and decide nothing.
  const asked = unknown.reduce(
    (text, word) =>
      text.replace(new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegExp(word)}(?![\\p{L}\\p{N}_])`, "giu"), " "),
    parsed.question,
  );
  const filter = { type: "entry,memory", ...(parsed.project ? { project: parsed.project } : {}) };
  const result = await search(deps, { q: asked, ...filter, limit: considered, neighbours: 1 });
  // With a word memory never saw, the rest of the question tells a paraphrase from a thing never recorded:
  // if many rows hold every other word, or all but one (every "port … service … staging" fact of every other service),
  // it asks about the one thing none of them names.
  let holdingAll = 0;
  if (unknown.length > 0) {
    // All but one counts when four words or more are known: three of them together still name a kind of fact.
    const known = query.content.length - unknown.length;
    holdingAll = result.hits.filter(
      (hit) => hit.match === "all" || hit.match === "phrase" || (hit.match === "most" && known >= 4),
    ).length;
    if (holdingAll > oracleTuning.specificRows) return { sources: [], query, unknown, abstention: "unknown_words" };
  }
  // A row found by meaning alone is left out: every question has nearest neighbours, so they cannot
  // tell an answerable question from one memory knows nothing about (hybrid search still orders the rest).
  const loaded = await Promise.all(
    result.hits.filter((hit) => hit.match !== "semantic").map((hit) => sourceOf(deps.store, hit)),
  );
  const chosen = chooseSources(
    loaded.filter((source) => source !== null),
    query,
    holdingAll,
  );
  const judged = chosen.signals ? { signals: chosen.signals } : {};
  if ("abstention" in chosen) return { sources: [], query, unknown, abstention: chosen.abstention, ...judged };
  return { sources: withinBudget(chosen.sources, input.budgetTokens), query, unknown, ...judged };
}

/**
 * Which retrieved rows answer the question, if any. A row is evidence by the sentences it tells:
 * a question it asks ("what made you choose that colour?") is not (its reply is, and search ranks
 * the reply next to it). Whether memory holds the answer at all is the abstention model's call
 * (answerability.ts: most questions about things never recorded ask a real fact of the wrong
 * person, or swap one detail). A question about a person who writes in memory is answered from
 * what that person wrote; the rest must hold enough of the question's content words
 * (`sourceCoverage`).
 */
export function chooseSources(
  candidates: OracleSource[],
  query: QueryAnalysis,
  holdingAll = 0,
):
  | { sources: OracleSource[]; signals?: AnswerabilitySignals }
  | { abstention: "not_recorded" | "nothing_relevant"; signals?: AnswerabilitySignals } {
  const read = candidates
    .map((source) => ({ source, row: tellingRow(source) }))
    .filter(({ row }) => row.told.length > 0);
  const telling = read.map(({ source }) => source);
  const authors = new Set(telling.flatMap((source) => (source.author ? [source.author.toLowerCase()] : [])));
  const named = new Set(query.names.map((name) => name.toLowerCase()).filter((name) => authors.has(name)));
  let eligible = telling;
  let judged: { signals?: AnswerabilitySignals } = {};
  if (named.size > 0) {
    const signals = answerabilitySignals(
      read.map(({ row }) => row),
      query,
      named,
      holdingAll,
    );
    if (unanswerableChance(signals, oracleTuning.abstention) > oracleTuning.abstention.threshold) {
      return { abstention: "not_recorded", signals };
    }
    judged = { signals };
    eligible = telling.filter((source) => source.type === "memory" || named.has((source.author ?? "").toLowerCase()));
  }
  const sources = eligible.filter((source) => source.coverage >= oracleTuning.sourceCoverage);
  return sources.length === 0 ? { abstention: "nothing_relevant", ...judged } : { sources, ...judged };
}

/** The sources the token budget holds, best first, each with as much of its neighbours as still fits. */
function withinBudget(candidates: OracleSource[], budgetTokens: number): OracleSource[] {
  const sources: OracleSource[] = [];
  let spent = 0;
  for (const source of candidates) {
    const cost = tokens(source.text) + 20;
    if (spent + cost > budgetTokens) {
      const room = (budgetTokens - spent - 20) * 4;
      if (room < 200) break;
      source.text = `${source.text.slice(0, room)}…`;
      source.context = [];
    }
    sources.push(source);
    spent += tokens(source.text) + 20;
    // Its neighbours too, while they fit: the answer often sits a turn away from the words that match.
    source.context = source.context.filter((near) => {
      const extra = tokens(near.content) + 10;
      if (spent + extra > budgetTokens) return false;
      spent += extra;
      return true;
    });
  }
  return sources;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

async function sourceOf(store: OracleReads, hit: UnifiedHit): Promise<OracleSource | null> {
  const snippet = hit.snippet.replace(/<\/?mark>/g, "").slice(0, 500);
  if (hit.type === "entry") {
    const entry = await store.getEntry(hit.id);
    if (!entry || entry.deletedAt !== null) return null;
    return {
      ref: entryRef(entry.threadId, entry.id),
      type: "entry",
      id: entry.id,
      text: entry.content,
      snippet,
      score: hit.score,
      author: entry.author || null,
      createdAt: entry.createdAt,
      project: entry.projectId,
      coverage: hit.coverage ?? 0,
      context: [...(hit.neighbours?.before ?? []), ...(hit.neighbours?.after ?? [])],
      thread: entry.threadId,
    };
  }
  if (hit.type === "memory") {
    const memory = await store.getMemory(hit.id);
    if (!memory || memory.deletedAt !== null) return null;
    return {
      ref: `memory:${memory.id}`,
      type: "memory",
      id: memory.id,
      text: memory.content,
      snippet,
      score: hit.score,
      author: null,
      createdAt: memory.updatedAt,
      project: memory.projectId,
      coverage: hit.coverage ?? 0,
      context: [],
      thread: null,
    };
  }
  return null;
}
