import * as z from "zod";
import type { Embedder } from "../embeddings/embedder";
import { idSchema, slugSchema } from "../entities";
import { type MatchMode, searchTerms } from "../search-terms";
import type { EmbeddingReads, EntryReads, MemoryReads, TaskReads } from "../store/store-roles";

/** What unified search reads: the three searchable types and their vectors. */
export type SearchReads = EntryReads & MemoryReads & TaskReads & EmbeddingReads;

import type { VectorHit } from "../store/store-types";
import { parseInput } from "../validate";
import { attribution } from "./attribution";

export const searchTypes = ["entry", "memory", "task"] as const;
export type SearchType = (typeof searchTypes)[number];

export const searchInput = z.object({
  q: z.string().max(10_000, "must be at most 10,000 characters"),
  /** One type, or several comma-separated ("entry,memory"); all when absent. */
  type: z
    .string()
    .regex(/^(entry|memory|task)(,(entry|memory|task))*$/, "must be entry, memory or task (comma-separated)")
    .optional(),
  project: slugSchema.optional(),
  session: idSchema.optional(),
  since: z.string().optional(),
  until: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
  cursor: z.coerce.number().int().min(0).max(10_000).default(0),
});

/** One hit of unified search: the fields every type has, then what is particular to it. */
export interface UnifiedHit {
  type: SearchType;
  id: string;
  snippet: string;
  score: number;
  project: string | null;
  session: string | null;
  createdAt: string;
  /**
   * How it matched: the exact phrase, every word, all words but one (`most`),
   * some of them, or (hybrid search only) by meaning alone (`semantic`).
   */
  match: Tier | "semantic";
  thread?: string;
  author?: string;
  kind?: string;
  title?: string;
  status?: string;
}

/** A ranking tier: the engines' match modes, and `most` (every word but one, asked as one AND query per left-out word). */
export type Tier = MatchMode | "most";

/** The tiers a query of `count` words is asked in, best first. */
export function tiersFor(count: number): Tier[] {
  if (count === 1) return ["all"];
  if (count === 2) return ["phrase", "all", "any"];
  return ["phrase", "all", "most", "any"];
}

interface Candidate {
  hit: UnifiedHit;
  /** Its score over the best score of its type in its tier: BM25 values of different tables do not compare. */
  relative: number;
}

/**
 * Unified search (SPEC section 4, issue 6) over entries, memories and tasks:
 * BM25 by tiers (see lexicalRanking), fused with vector similarity when an
 * embedding model is configured. Any string is a valid query: one with no
 * words answers nothing. The page states how it was ranked (`retrieval`) and
 * its size (characters and an estimate of tokens).
 */
export async function search(deps: SearchDeps, input: z.input<typeof searchInput>, options: { tiers?: Tier[] } = {}) {
  const parsed = parseInput(searchInput, input);
  const terms = searchTerms(parsed.q);
  const retrieval = deps.embedder ? "hybrid" : "bm25";
  if (terms.length === 0) return page([], null, retrieval);
  const types = (parsed.type?.split(",") as SearchType[] | undefined) ?? [...searchTypes];
  const filters = attribution(parsed, deps.now?.());
  // Enough of each list for this page and one more row (to know there is a next page).
  const want = parsed.cursor + parsed.limit + 1;
  const tiers = options.tiers ?? tiersFor(terms.length);
  let ranked: UnifiedHit[];
  let warning: string | undefined;
  if (deps.embedder) {
    const depth = Math.max(want, fusionDepth);
    const [lexical, semantic] = await Promise.all([
      lexicalRanking(deps.store, { terms, types, filters, tiers, want: depth }),
      semanticRanking({ ...deps, embedder: deps.embedder }, { q: parsed.q, types, filters, want: depth }).catch(
        () => null,
      ),
    ]);
    if (semantic === null) warning = "the embedding model did not answer: ranked by BM25 alone";
    ranked = semantic === null ? lexical : fuse(lexical, semantic);
  } else {
    ranked = await lexicalRanking(deps.store, { terms, types, filters, tiers, want });
  }
  const hits = ranked.slice(parsed.cursor, parsed.cursor + parsed.limit);
  const next = ranked.length > parsed.cursor + parsed.limit ? parsed.cursor + parsed.limit : null;
  return page(hits, next, warning === undefined ? retrieval : "bm25", warning);
}

export interface SearchDeps {
  store: SearchReads;
  now?: (() => Date) | undefined;
  /** With an embedding model, search is hybrid: BM25 and vector similarity fused by reciprocal rank. */
  embedder?: Embedder | undefined;
  /** How long a search waits for its query's embedding before ranking by BM25 alone (default 3 s). */
  queryEmbeddingTimeoutMs?: number | undefined;
}

/** How deep each list of hybrid search goes before fusion (and the RRF constant, as in the original paper). */
const fusionDepth = 50;
const rrfK = 60;

/**
 * BM25 by tiers: the exact phrase, then every word, then every word but one
 * (from three words up), then some words (each asked of the engines as its
 * own query, so "all words present beats some" holds whatever BM25 says).
 * Within a tier, hits of every type are ordered by their score relative to
 * the best of their type, and equal ones newest first.
 */
async function lexicalRanking(
  store: SearchReads,
  query: { terms: string[]; types: SearchType[]; filters: Filters; tiers: Tier[]; want: number },
): Promise<UnifiedHit[]> {
  const seen = new Set<string>();
  const ranked: UnifiedHit[] = [];
  for (const match of query.tiers) {
    const lists = await Promise.all(
      query.types.map((type) => tierCandidates(store, type, match, query.terms, query.filters, query.want)),
    );
    const tier = lists.flatMap((list) => {
      const best = Math.max(...list.map((hit) => hit.score), Number.MIN_VALUE);
      return list.map((hit): Candidate => ({ hit, relative: hit.score / best }));
    });
    tier.sort((a, b) => b.relative - a.relative || b.hit.createdAt.localeCompare(a.hit.createdAt));
    for (const { hit } of tier) {
      const key = `${hit.type}:${hit.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      ranked.push(hit);
    }
    if (ranked.length >= query.want) break;
  }
  return ranked;
}

/** The rows nearest in meaning to the query, every type together, most similar first. */
async function semanticRanking(
  deps: SearchDeps & { embedder: Embedder },
  query: { q: string; types: SearchType[]; filters: Filters; want: number },
): Promise<UnifiedHit[]> {
  const signal = AbortSignal.timeout(deps.queryEmbeddingTimeoutMs ?? 3_000);
  const [vector] = await deps.embedder.embed([query.q], { signal });
  if (!vector || vector.length === 0) throw new Error("The embedder answered no vector");
  const lists = await Promise.all(
    query.types.map((type) =>
      deps.store.nearestRows({ ...query.filters, type, model: deps.embedder.model, vector, limit: query.want }),
    ),
  );
  return lists
    .flat()
    .sort((a, b) => b.similarity - a.similarity || b.createdAt.localeCompare(a.createdAt))
    .slice(0, query.want)
    .map(semanticHit);
}

function semanticHit(hit: VectorHit): UnifiedHit {
  const { similarity, ...rest } = hit;
  return { ...rest, score: similarity, match: "semantic" };
}

/**
 * Reciprocal rank fusion: each hit scores 1/(60 + rank) in each list it is
 * in, summed. A row both lists rank high beats a row only one of them found;
 * a row only the vectors found still surfaces. A hit found by BM25 keeps its
 * highlighted snippet and its tier.
 */
function fuse(lexical: UnifiedHit[], semantic: UnifiedHit[]): UnifiedHit[] {
  const fused = new Map<string, { hit: UnifiedHit; score: number }>();
  for (const list of [lexical, semantic]) {
    list.forEach((hit, index) => {
      const key = `${hit.type}:${hit.id}`;
      const known = fused.get(key);
      const score = 1 / (rrfK + index + 1);
      if (known) known.score += score;
      else fused.set(key, { hit, score });
    });
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score || b.hit.createdAt.localeCompare(a.hit.createdAt))
    .map(({ hit, score }) => ({ ...hit, score: Math.round(score * 1e6) / 1e6 }));
}

type Filters = ReturnType<typeof attribution>;

function page(hits: UnifiedHit[], nextCursor: number | null, retrieval: "hybrid" | "bm25", warning?: string) {
  const chars = JSON.stringify(hits).length;
  return {
    hits,
    nextCursor,
    retrieval,
    ...(warning === undefined ? {} : { warning }),
    size: { chars, tokens: Math.ceil(chars / 4) },
  };
}

/**
 * One type's hits for a tier. `most` asks one AND query per left-out word: a
 * row with every word but one ranks above rows with a few of them, and each
 * query stays selective (an OR of common words would fill the recency window
 * with rows that match one word).
 */
async function tierCandidates(
  store: SearchReads,
  type: SearchType,
  tier: Tier,
  terms: string[],
  filters: ReturnType<typeof attribution>,
  want: number,
): Promise<UnifiedHit[]> {
  if (tier !== "most") return candidates(store, type, tier, terms, filters, want);
  const lists = await Promise.all(
    terms.map((_, left) =>
      candidates(
        store,
        type,
        "all",
        terms.filter((__, index) => index !== left),
        filters,
        want,
      ),
    ),
  );
  const best = new Map<string, UnifiedHit>();
  for (const hit of lists.flat()) {
    const known = best.get(hit.id);
    if (!known || hit.score > known.score) best.set(hit.id, { ...hit, match: "most" });
  }
  return [...best.values()].sort((a, b) => b.score - a.score).slice(0, want);
}

/** The fields every type's hit has, as unified search answers them. */
function common(
  type: SearchType,
  match: MatchMode,
  hit: { id: string; snippet: string; score: number; project: string | null; session: string | null },
  createdAt: string,
) {
  return {
    type,
    id: hit.id,
    snippet: hit.snippet,
    score: hit.score,
    project: hit.project,
    session: hit.session,
    createdAt,
    match,
  };
}

async function candidates(
  store: SearchReads,
  type: SearchType,
  match: MatchMode,
  terms: string[],
  filters: ReturnType<typeof attribution>,
  want: number,
): Promise<UnifiedHit[]> {
  const query = { terms, match, limit: want, offset: 0 };
  if (type === "entry") {
    const hits = await store.searchEntries({ ...filters, ...query });
    return hits.map((hit) => ({
      ...common(type, match, hit, hit.createdAt),
      thread: hit.threadId,
      author: hit.author,
    }));
  }
  if (type === "memory") {
    const hits = await store.searchMemories({ ...filters, ...query });
    return hits.map((hit) => ({ ...common(type, match, hit, hit.updatedAt), kind: hit.kind }));
  }
  // Tasks carry no session: a session filter leaves them out.
  if (filters.sessionId !== undefined) return [];
  const hits = await store.searchTasks({
    ...query,
    projectId: filters.projectId,
    since: filters.since,
    until: filters.until,
  });
  return hits.map((hit) => ({ ...common(type, match, hit, hit.updatedAt), title: hit.title, status: hit.status }));
}
