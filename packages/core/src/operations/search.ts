import * as z from "zod";
import type { Embedder } from "../embeddings/embedder";
import type { Entry } from "../entities";
import { idSchema, slugSchema } from "../entities";
import { asksQuestion } from "../search/asks-question";
import { analyzeQuery, type QueryAnalysis } from "../search/query-analysis";
import { type MatchKind, type RankInput, rankRows } from "../search/rank-rows";
import { snippetOf } from "../search/snippet";
import type { MatchMode } from "../search-terms";
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
  /** How many entries of the same thread before and after each entry hit to carry along (0 to 5). */
  neighbours: z.coerce.number().int().min(0).max(5).default(0),
});

/** An entry next to a hit in its thread: the answer often sits one turn before or after the matched words. */
export interface NeighbourEntry {
  id: string;
  author: string;
  content: string;
  createdAt: string;
}

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
   * How it matched: the exact phrase, every content word, all content words but one (`most`),
   * some of them, or (hybrid search only) by meaning alone (`semantic`).
   */
  match: Tier | "semantic";
  /** The weighted share of the query's content words the row holds, 0 to 1 (rarer words weigh more). */
  coverage?: number;
  thread?: string;
  author?: string;
  kind?: string;
  title?: string;
  status?: string;
  /** With `neighbours` > 0, an entry hit's neighbours in its thread, oldest first on each side. */
  neighbours?: { before: NeighbourEntry[]; after: NeighbourEntry[] };
}

/** How a row matched the query's words (see rankRows). */
export type Tier = MatchKind;

/**
 * Unified search (SPEC section 4) over entries, memories and tasks. The query
 * is read once (analyzeQuery: its content words, phrase, times and names);
 * the engines find candidates by BM25 over the content words (any of them,
 * and all of them, and any of them within each time the query names), and
 * rankRows orders them for a question: rare words over common ones, the
 * phrase, proximity, the named author, the named time. With an embedding
 * model the ranking is fused with vector similarity. Any string is a valid
 * query: one with no words answers nothing. The page states how it was
 * ranked (`retrieval`) and its size (characters and an estimate of tokens).
 */
export async function search(deps: SearchDeps, input: z.input<typeof searchInput>) {
  const parsed = parseInput(searchInput, input);
  const now = deps.now?.() ?? new Date();
  const query = analyzeQuery(parsed.q, now);
  const retrieval = deps.embedder ? "hybrid" : "bm25";
  if (query.words.length === 0) return page([], null, retrieval);
  const types = (parsed.type?.split(",") as SearchType[] | undefined) ?? [...searchTypes];
  const filters = attribution(parsed, now);
  // Enough of each list for this page and one more row (to know there is a next page).
  const want = parsed.cursor + parsed.limit + 1;
  let ranked: UnifiedHit[];
  let warning: string | undefined;
  if (deps.embedder) {
    const depth = Math.max(want, fusionDepth);
    const [lexical, semantic] = await Promise.all([
      lexicalRanking(deps.store, { query, types, filters, want: depth }),
      semanticRanking({ ...deps, embedder: deps.embedder }, { q: parsed.q, types, filters, want: depth }).catch(
        () => null,
      ),
    ]);
    if (semantic === null) warning = "the embedding model did not answer: ranked by BM25 alone";
    ranked = semantic === null ? lexical : fuse(lexical, semantic);
  } else {
    ranked = await lexicalRanking(deps.store, { query, types, filters, want });
  }
  const hits = ranked.slice(parsed.cursor, parsed.cursor + parsed.limit);
  if (parsed.neighbours > 0) await addNeighbours(deps.store, hits, parsed.neighbours);
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

/** How many candidates of each type the engines hand to ranking, at least: enough for rankRows to reorder. */
const minimumPool = 100;

/** A candidate row as the engines found it, with what ranking reads and what the hit shows. */
interface Candidate extends RankInput {
  hit: UnifiedHit;
}

/**
 * BM25 candidates ranked for the query (rankRows). Each type's engine is asked
 * for its best rows holding all the content words (so a row with every word is
 * never crowded out of the pool by rows with the commonest one), then, unless
 * those fill a page, its best rows holding any of them, and, for each time the
 * query names, its best rows of that time. Snippets are cut around the content words here, for the page only.
 */
async function lexicalRanking(
  store: SearchReads,
  request: { query: QueryAnalysis; types: SearchType[]; filters: Filters; want: number },
): Promise<UnifiedHit[]> {
  const { query, filters } = request;
  // One word leaves ranking little to reorder (no coverage, phrase or proximity to weigh): a smaller pool.
  const pool = query.content.length === 1 ? request.want * 2 : Math.max(request.want * 4, minimumPool);
  const spans = query.spans.slice(0, 3).flatMap((span) => {
    const since = filters.since !== undefined && filters.since > span.from ? filters.since : span.from;
    const until = filters.until !== undefined && filters.until < span.to ? filters.until : span.to;
    return since < until ? [{ ...filters, since, until }] : [];
  });
  const ofType = async (type: SearchType): Promise<Candidate[]> => {
    const ask = (match: MatchMode, where: Filters) => candidates(store, type, match, query.content, where, pool);
    const timed = Promise.all(spans.map((where) => ask("any", where)));
    const all = query.content.length >= 2 ? await ask("all", filters) : [];
    // When a page's worth of rows hold every word, rows with only some of them rank below those (their
    // coverage is lower): the OR of common words, the costliest query at a million rows, is not asked.
    const any = all.length >= request.want ? [] : await ask("any", filters);
    return [...all, ...any, ...(await timed).flat()];
  };
  const lists = await Promise.all(request.types.map(ofType));
  const unique = new Map<string, Candidate>();
  for (const candidate of lists.flat()) {
    const key = `${candidate.type}:${candidate.hit.id}`;
    const known = unique.get(key);
    if (!known || candidate.engineScore > known.engineScore) unique.set(key, candidate);
  }
  const ranked = rankRows([...unique.values()], query).map(
    (row): Shown => ({ ...row.hit, text: row.text, score: row.score, match: row.match, coverage: row.coverage }),
  );
  const withReplies = await addReplies(store, ranked, request.want);
  const stems = query.contentStems;
  return withReplies.slice(0, request.want).map(({ text, ...hit }) => ({
    ...hit,
    snippet: snippetOf(text, stems),
    coverage: Math.round((hit.coverage ?? 0) * 1000) / 1000,
  }));
}

/** A ranked hit with the text its snippet is cut from. */
type Shown = UnifiedHit & { text: string };

/** How far down the ranking a question's reply is looked for, and what share of the question's score it takes. */
const replyDepth = 20;
export const replyShare = 0.92;

/**
 * A question in a thread is answered by the entry after it, which rarely repeats its words ("Do
 * you take your kids to the park often?" "Yeah, a few times a week."). For each of the best
 * entry hits that asks something, the next entry of its thread by someone else joins the hits
 * just below it (unless it ranks higher already).
 */
async function addReplies(store: SearchReads, ranked: Shown[], want: number): Promise<Shown[]> {
  const asking = ranked
    .slice(0, Math.min(replyDepth, want))
    .filter(
      (hit) => hit.type === "entry" && hit.project !== null && hit.thread !== undefined && asksQuestion(hit.text),
    );
  if (asking.length === 0) return ranked;
  const replies = await Promise.all(
    asking.map(async (hit) => {
      const { after } = await store.entryNeighbours(
        { projectId: hit.project as string, threadId: hit.thread as string, createdAt: hit.createdAt, id: hit.id },
        1,
      );
      const next = after[0];
      if (!next || (next.author !== "" && next.author === hit.author)) return null;
      const reply: Shown = {
        type: "entry",
        id: next.id,
        text: next.content,
        snippet: "",
        score: Math.round(hit.score * replyShare * 1e6) / 1e6,
        project: next.projectId,
        session: next.sessionId,
        createdAt: next.createdAt,
        match: hit.match,
        coverage: hit.coverage ?? 0,
        thread: next.threadId,
        author: next.author,
      };
      return reply;
    }),
  );
  const byKey = new Map(ranked.map((hit) => [`${hit.type}:${hit.id}`, hit]));
  for (const reply of replies) {
    if (!reply) continue;
    const known = byKey.get(`entry:${reply.id}`);
    if (!known || known.score < reply.score) byKey.set(`entry:${reply.id}`, reply);
  }
  return [...byKey.values()].sort((a, b) => b.score - a.score || b.createdAt.localeCompare(a.createdAt));
}

/** Puts each entry hit's neighbours in its thread on it (memories and tasks have none). */
async function addNeighbours(store: SearchReads, hits: UnifiedHit[], count: number): Promise<void> {
  await Promise.all(
    hits.map(async (hit) => {
      if (hit.type !== "entry" || hit.thread === undefined || hit.project === null) return;
      const around = await store.entryNeighbours(
        { projectId: hit.project, threadId: hit.thread, createdAt: hit.createdAt, id: hit.id },
        count,
      );
      const shown = (entry: Entry): NeighbourEntry => ({
        id: entry.id,
        author: entry.author,
        content: entry.content,
        createdAt: entry.createdAt,
      });
      hit.neighbours = { before: around.before.reverse().map(shown), after: around.after.map(shown) };
    }),
  );
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

/** The fields every type's hit has, as unified search answers them (the snippet is cut later). */
function common(
  type: SearchType,
  hit: { id: string; project: string | null; session: string | null },
  createdAt: string,
): UnifiedHit {
  return {
    type,
    id: hit.id,
    snippet: "",
    score: 0,
    project: hit.project,
    session: hit.session,
    createdAt,
    match: "any",
  };
}

/** One type's best rows for the content words, with their whole searched text for ranking. */
async function candidates(
  store: SearchReads,
  type: SearchType,
  match: MatchMode,
  terms: string[],
  filters: Filters,
  limit: number,
): Promise<Candidate[]> {
  const query = { terms, match, limit, offset: 0, withText: true };
  if (type === "entry") {
    const hits = await store.searchEntries({ ...filters, ...query });
    return hits.map((hit) => ({
      type,
      engineScore: hit.score,
      text: hit.text ?? "",
      author: hit.author,
      createdAt: hit.createdAt,
      hit: { ...common(type, hit, hit.createdAt), thread: hit.threadId, author: hit.author },
    }));
  }
  if (type === "memory") {
    const hits = await store.searchMemories({ ...filters, ...query });
    return hits.map((hit) => ({
      type,
      engineScore: hit.score,
      text: hit.text ?? "",
      author: null,
      createdAt: hit.updatedAt,
      hit: { ...common(type, hit, hit.updatedAt), kind: hit.kind },
    }));
  }
  // Tasks carry no session: a session filter leaves them out.
  if (filters.sessionId !== undefined) return [];
  const hits = await store.searchTasks({
    ...query,
    projectId: filters.projectId,
    since: filters.since,
    until: filters.until,
  });
  return hits.map((hit) => ({
    type,
    engineScore: hit.score,
    text: hit.text ?? hit.title,
    author: null,
    createdAt: hit.updatedAt,
    hit: { ...common(type, { ...hit, session: null }, hit.updatedAt), title: hit.title, status: hit.status },
  }));
}
