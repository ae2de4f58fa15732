import * as z from "zod";
import { slugSchema } from "../entities";
import { searchTerms } from "../search-terms";
import type { EmbeddingReads, EntryReads, MemoryReads, TaskReads } from "../store/store-roles";

/** What the oracle reads: search's roles (it searches) and the rows it cites. */
type OracleReads = EntryReads & MemoryReads & TaskReads & EmbeddingReads;

import { parseInput } from "../validate";
import { type SearchDeps, search, type UnifiedHit } from "./search";

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
  /** `thread:<thread>#<entry-id-prefix>` or `memory:<id>` (SPEC section 4). */
  ref: string;
  type: "entry" | "memory";
  id: string;
  text: string;
  snippet: string;
  score: number;
  author: string | null;
  createdAt: string;
  project: string | null;
}

/** Words that carry no topic: a question's "what did we decide about" must not count as a match. */
const stopwords = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it its me my " +
    "no not of on or our should so than that the their them then there these they this to us was we were what when " +
    "where which who why will with would you your about any anything know tell say said decide decided there's whats " +
    "please recently lately yesterday today now currently ever last still again also just"
  ).split(" "),
);

/** The words of a question that name its topic. */
export function topicTerms(question: string): string[] {
  return searchTerms(question).filter((term) => !stopwords.has(term));
}

/** How many rows the known words of a question with an unknown word may point at and still be specific. */
const specificRows = 3;

/** Tokens, roughly: 4 characters each. */
function tokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * Retrieval for the oracle: unified search over entries and memories with the
 * question's topic words, keeping a hit only when it is relevant (the exact
 * phrase or every topic word, or at least half of them), then the full text of
 * each, best first, until the token budget is spent. An empty list means
 * memory holds nothing on the question: the oracle abstains. So does a topic
 * word that occurs nowhere in the user's memory (`unknown`).
 */
export async function oracleSources(
  deps: SearchDeps,
  input: { question: string; project?: string | undefined; budgetTokens: number },
): Promise<{ sources: OracleSource[]; terms: string[]; unknown: string[] }> {
  const parsed = parseInput(askInput.pick({ question: true, project: true }), input);
  const terms = topicTerms(parsed.question);
  if (terms.length === 0) return { sources: [], terms, unknown: [] };
  // A topic word found nowhere in memory ("pangolin") means the question is about something memory never saw:
  // matching its other words ("port", "service") would only find answers about something else.
  const present = await deps.store.presentTerms(terms);
  const unknown = terms.filter((term) => !present.has(term));
  const known = terms.filter((term) => present.has(term));
  const filter = { type: "entry,memory", ...(parsed.project ? { project: parsed.project } : {}) };
  let relevant: UnifiedHit[];
  if (unknown.length === 0) {
    const result = await search(deps, { q: terms.join(" "), ...filter, limit: 20 });
    // A row found by meaning alone is left out: every question has nearest neighbours, so they cannot
    // tell an answerable question from one memory knows nothing about (hybrid search still orders the rest).
    relevant = result.hits.filter(
      (hit) => hit.match !== "semantic" && (hit.match !== "any" || coverage(hit, terms) >= 0.5),
    );
  } else {
    // A question word memory never saw is either a paraphrase ("hosted" for "moved to region") or the very
    // thing asked about ("pangolin"). The rest of the question tells them apart: if its words together point
    // at a few rows, those answer it; if they match many (every "port … service … staging" fact), memory
    // holds nothing about the thing asked. So does a question most of whose words memory never saw.
    if (known.length <= unknown.length) return { sources: [], terms, unknown };
    const result = await search(
      deps,
      { q: known.join(" "), ...filter, limit: specificRows + 1 },
      {
        tiers: ["phrase", "all"],
      },
    );
    if (result.hits.length > specificRows) return { sources: [], terms, unknown };
    relevant = result.hits;
  }
  const sources: OracleSource[] = [];
  let spent = 0;
  for (const hit of relevant) {
    const source = await sourceOf(deps.store, hit);
    if (!source) continue;
    const cost = tokens(source.text) + 20;
    if (spent + cost > input.budgetTokens) {
      const room = (input.budgetTokens - spent - 20) * 4;
      if (room < 200) break;
      source.text = `${source.text.slice(0, room)}…`;
    }
    sources.push(source);
    spent += tokens(source.text) + 20;
  }
  return { sources, terms, unknown };
}

/** The share of topic words a hit's snippet shows (the engines mark each matched word). */
function coverage(hit: UnifiedHit, terms: string[]): number {
  const marked = new Set(
    [...hit.snippet.matchAll(/<mark>(.*?)<\/mark>/g)].flatMap((found) => searchTerms(found[1] ?? "")),
  );
  return terms.filter((term) => marked.has(term)).length / terms.length;
}

async function sourceOf(store: OracleReads, hit: UnifiedHit): Promise<OracleSource | null> {
  const snippet = hit.snippet.replace(/<\/?mark>/g, "").slice(0, 500);
  if (hit.type === "entry") {
    const entry = await store.getEntry(hit.id);
    if (!entry || entry.deletedAt !== null) return null;
    return {
      ref: `thread:${entry.threadId}#${entry.id.slice(0, 10)}`,
      type: "entry",
      id: entry.id,
      text: entry.content,
      snippet,
      score: hit.score,
      author: entry.author || null,
      createdAt: entry.createdAt,
      project: entry.projectId,
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
    };
  }
  return null;
}
