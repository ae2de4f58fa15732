import type { QueryAnalysis } from "./query-analysis";
import { rarity } from "./rarity";
import { stopWords } from "./stop-words";
import { couldStemTo, stemOf, stemsOf, wordsOf } from "./text-stems";

/** A row the engines found for a query, with what ranking reads of it. */
export interface RankInput {
  /** Its engine score (BM25), comparable only within its type. */
  engineScore: number;
  type: string;
  /** The text that was searched (an entry's content; a memory's content and tags; a task's title and description). */
  text: string;
  author: string | null;
  createdAt: string;
}

/** How a row matched: the exact phrase, every content word, all but one, or some. */
export type MatchKind = "phrase" | "all" | "most" | "any";

export interface Ranked {
  score: number;
  match: MatchKind;
  /** The weighted share of the query's content words the row holds (0 to 1). */
  coverage: number;
}

/** What each part of a row's score weighs (see rankRows). */
export const rankWeights = {
  coverage: 3,
  engine: 0.6,
  phrase: 1.5,
  proximity: 0.4,
  author: 0.35,
  time: 1,
};

/**
 * Ranks rows for a question, not only for keywords. A row's score is the weighted share of the
 * query's content words it holds (each word weighted by how rare it is among the candidates, so a
 * rare word outweighs several common ones, and no row missing the one rare word outranks a row
 * that has it for the sake of common ones), its engine relevance within its type, the exact phrase,
 * how close together its matched words are, whether it is by a person the query names, and
 * whether it is of a time the query names. Equal scores keep the newer first.
 */
export function rankRows<Row extends RankInput>(rows: Row[], query: QueryAnalysis): (Row & Ranked)[] {
  const wanted = [...new Set(query.contentStems)];
  const words = rows.map((row) => wordsOf(row.text));
  const stemWanted = stemIfWanted(wanted, query.phraseStems);
  const stems = words.map((list) => list.map(stemWanted));
  // A row holds its author's name too: "what did Caroline say" is about rows by Caroline.
  // Stop words count only for a query made of them ("us" in "us-east-2" is not the stem of "use").
  const present = rows.map((row, index) => {
    const held = new Set(stemsOf(row.author ?? ""));
    const rowWords = words[index] ?? [];
    (stems[index] ?? []).forEach((stem, at) => {
      if (query.onlyStopWords || !stopWords.has(rowWords[at] ?? "")) held.add(stem);
    });
    return held;
  });
  // How rare each content word is among the candidates: an inverse document frequency over them.
  const weight = new Map(
    wanted.map((stem) => {
      const holding = present.filter((set) => set.has(stem)).length;
      return [stem, rarity(holding, rows.length)];
    }),
  );
  const total = wanted.reduce((sum, stem) => sum + (weight.get(stem) ?? 0), 0) || 1;
  const bestOfType = new Map<string, number>();
  for (const row of rows) bestOfType.set(row.type, Math.max(bestOfType.get(row.type) ?? 0, row.engineScore));
  const names = query.names.map((name) => name.toLowerCase());
  const phrase = query.phraseStems.length >= 2 ? query.phraseStems : null;

  const ranked = rows.map((row, index) => {
    const held = wanted.filter((stem) => present[index]?.has(stem));
    const coverage = held.reduce((sum, stem) => sum + (weight.get(stem) ?? 0), 0) / total;
    const engine = row.engineScore / (bestOfType.get(row.type) || 1);
    const hasPhrase = phrase !== null && containsRun(stems[index] ?? [], phrase);
    const proximity = held.length >= 2 ? closeness(stems[index] ?? [], new Set(held)) : 0;
    const byNamed = row.author !== null && names.includes(row.author.toLowerCase());
    const inTime = query.spans.some((span) => row.createdAt >= span.from && row.createdAt < span.to);
    const score =
      rankWeights.coverage * coverage +
      rankWeights.engine * engine +
      (hasPhrase ? rankWeights.phrase : 0) +
      rankWeights.proximity * proximity +
      (byNamed ? rankWeights.author : 0) +
      (inTime ? rankWeights.time : 0);
    const missing = wanted.length - held.length;
    const match: MatchKind = hasPhrase
      ? "phrase"
      : missing === 0
        ? "all"
        : missing === 1 && wanted.length >= 3
          ? "most"
          : "any";
    return { ...row, score: Math.round(score * 1e6) / 1e6, match, coverage };
  });
  return ranked.sort((a, b) => b.score - a.score || b.createdAt.localeCompare(a.createdAt));
}

/** Stems a row's word only when it could be one of the query's (couldStemTo); any other word stands in its place unstemmed. */
function stemIfWanted(wanted: string[], phrase: string[]): (word: string) => string {
  const could = couldStemTo([...wanted, ...phrase]);
  return (word) => (could(word) ? stemOf(word) : `\u0000${word}`);
}

/** Whether `stems` holds `run` as consecutive words. */
function containsRun(stems: string[], run: string[]): boolean {
  outer: for (let start = 0; start + run.length <= stems.length; start++) {
    for (let offset = 0; offset < run.length; offset++) if (stems[start + offset] !== run[offset]) continue outer;
    return true;
  }
  return false;
}

/** 1 when the matched words stand side by side, falling towards 0 as the shortest span holding them all grows. */
function closeness(stems: string[], wanted: Set<string>): number {
  const last = new Map<string, number>();
  let shortest = Number.POSITIVE_INFINITY;
  stems.forEach((stem, position) => {
    if (!wanted.has(stem)) return;
    last.set(stem, position);
    if (last.size === wanted.size) shortest = Math.min(shortest, position - Math.min(...last.values()) + 1);
  });
  if (!Number.isFinite(shortest)) return 0;
  return wanted.size / shortest;
}
