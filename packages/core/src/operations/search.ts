import * as z from "zod";
import { idSchema, slugSchema } from "../entities";
import { type MatchMode, searchTerms } from "../search-terms";
import type { StoreReader } from "../store-port";
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
  /** How it matched: the exact phrase, every word, all words but one (`most`), or some of them. */
  match: Tier;
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
 * Unified search (SPEC section 4, issue 6) over entries, memories and tasks.
 * Tiers, in order: the exact phrase, then every word, then every word but one
 * (from three words up), then some words (each
 * asked of the engines as its own query, so "all words present beats some"
 * holds whatever BM25 says). Within a tier, hits of every type are ordered by
 * their score relative to the best of their type, and equal ones newest
 * first. Any string is a valid query: one with no words answers nothing.
 * The page states its size (characters and an estimate of tokens).
 */
export async function search(
  deps: { store: StoreReader; now?: () => Date },
  userId: string,
  input: z.input<typeof searchInput>,
  options: { tiers?: Tier[] } = {},
) {
  const parsed = parseInput(searchInput, input);
  const terms = searchTerms(parsed.q);
  if (terms.length === 0) return page([], null);
  const types = (parsed.type?.split(",") as SearchType[] | undefined) ?? [...searchTypes];
  const filters = attribution(parsed, deps.now?.());
  // Enough of each list for this page and one more row (to know there is a next page).
  const want = parsed.cursor + parsed.limit + 1;
  const tiers = options.tiers ?? tiersFor(terms.length);
  const seen = new Set<string>();
  const ranked: UnifiedHit[] = [];
  for (const match of tiers) {
    const lists = await Promise.all(
      types.map((type) => tierCandidates(deps.store, userId, type, match, terms, filters, want)),
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
    if (ranked.length >= want) break;
  }
  const hits = ranked.slice(parsed.cursor, parsed.cursor + parsed.limit);
  return page(hits, ranked.length > parsed.cursor + parsed.limit ? parsed.cursor + parsed.limit : null);
}

function page(hits: UnifiedHit[], nextCursor: number | null) {
  const chars = JSON.stringify(hits).length;
  return { hits, nextCursor, size: { chars, tokens: Math.ceil(chars / 4) } };
}

/**
 * One type's hits for a tier. `most` asks one AND query per left-out word: a
 * row with every word but one ranks above rows with a few of them, and each
 * query stays selective (an OR of common words would fill the recency window
 * with rows that match one word).
 */
async function tierCandidates(
  store: StoreReader,
  userId: string,
  type: SearchType,
  tier: Tier,
  terms: string[],
  filters: ReturnType<typeof attribution>,
  want: number,
): Promise<UnifiedHit[]> {
  if (tier !== "most") return candidates(store, userId, type, tier, terms, filters, want);
  const lists = await Promise.all(
    terms.map((_, left) =>
      candidates(
        store,
        userId,
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
  store: StoreReader,
  userId: string,
  type: SearchType,
  match: MatchMode,
  terms: string[],
  filters: ReturnType<typeof attribution>,
  want: number,
): Promise<UnifiedHit[]> {
  const query = { terms, match, limit: want, offset: 0 };
  if (type === "entry") {
    const hits = await store.searchEntries(userId, { ...filters, ...query });
    return hits.map((hit) => ({
      ...common(type, match, hit, hit.createdAt),
      thread: hit.threadId,
      author: hit.author,
    }));
  }
  if (type === "memory") {
    const hits = await store.searchMemories(userId, { ...filters, ...query });
    return hits.map((hit) => ({ ...common(type, match, hit, hit.updatedAt), kind: hit.kind }));
  }
  // Tasks carry no session: a session filter leaves them out.
  if (filters.sessionId !== undefined) return [];
  const hits = await store.searchTasks(userId, {
    ...query,
    projectId: filters.projectId,
    since: filters.since,
    until: filters.until,
  });
  return hits.map((hit) => ({ ...common(type, match, hit, hit.updatedAt), title: hit.title, status: hit.status }));
}
