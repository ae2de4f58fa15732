import type { OracleSource } from "@cairn/core/operations/oracle-sources";
import { searchTerms } from "@cairn/core/search-terms";

/**
 * The built-in model's answer: no generation, only the sentences of the
 * sources that best match the question's topic words, each followed by the
 * number of the source it comes from. At most three sentences, from as many
 * sources as there are good ones.
 */
export function extractiveAnswer(sources: OracleSource[], terms: string[]): { answer: string; used: number[] } {
  const wanted = new Set(terms);
  const candidates: { sentence: string; source: number; score: number; order: number }[] = [];
  sources.forEach((source, index) => {
    const sentences = source.text
      .split(/(?<=[.!?])\s+|\n+/)
      .map((sentence) => sentence.trim())
      .filter((sentence) => sentence.length > 0 && sentence.length <= 600);
    sentences.forEach((sentence, order) => {
      const words = new Set(searchTerms(sentence));
      const hits = [...wanted].filter((term) => words.has(term)).length;
      // Relevance first; among equals, the better-ranked source and the earlier sentence.
      if (hits > 0) candidates.push({ sentence, source: index, score: hits - index * 0.01 - order * 0.001, order });
    });
  });
  candidates.sort((a, b) => b.score - a.score);
  // Only sentences nearly as relevant as the best one: a row that shares one word with the question is no answer.
  const best = Math.round(candidates[0]?.score ?? 0);
  const chosen: typeof candidates = [];
  for (const candidate of candidates.filter((each) => Math.round(each.score) >= Math.ceil(best * 0.75))) {
    if (chosen.length === 3) break;
    if (chosen.some((taken) => taken.sentence === candidate.sentence)) continue;
    chosen.push(candidate);
  }
  chosen.sort((a, b) => a.source - b.source || a.order - b.order);
  return {
    answer: chosen.map((taken) => `${taken.sentence} [${taken.source + 1}]`).join(" "),
    used: [...new Set(chosen.map((taken) => taken.source))],
  };
}
