/** Retrieval figures of one ranked list against the turns that answer its question. */
export interface RankFigures {
  recall5: number;
  recall10: number;
  hit10: number;
  reciprocalRank: number;
}

/** Recall at 5 and 10 (the share of evidence turns in the top k), hit at 10, and the reciprocal rank of the first. */
export function rankFigures(ranked: string[], evidence: string[]): RankFigures {
  const wanted = new Set(evidence);
  const within = (k: number) => ranked.slice(0, k).filter((id) => wanted.has(id)).length / wanted.size;
  const first = ranked.findIndex((id) => wanted.has(id));
  return {
    recall5: within(5),
    recall10: within(10),
    hit10: first >= 0 && first < 10 ? 1 : 0,
    reciprocalRank: first >= 0 ? 1 / (first + 1) : 0,
  };
}

/** SQuAD's answer normalisation: lower case, no punctuation, no articles, single spaces. */
function normalisedTokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/)
    .filter((token) => token !== "" && token !== "a" && token !== "an" && token !== "the");
}

/** Token F1 between an answer and the reference (SQuAD's definition); citation markers ("[2]") are not answer words. */
export function tokenF1(answer: string, reference: string): number {
  const said = normalisedTokens(answer.replace(/\[\d+\]/g, " "));
  const wanted = normalisedTokens(reference);
  if (said.length === 0 || wanted.length === 0) return said.length === wanted.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const token of wanted) counts.set(token, (counts.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of said) {
    const left = counts.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      counts.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / said.length;
  const recall = common / wanted.length;
  return (2 * precision * recall) / (precision + recall);
}

/** A running mean. */
export class Mean {
  private sum = 0;
  count = 0;
  add(value: number): void {
    this.sum += value;
    this.count += 1;
  }
  get value(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
}

/** A share as a percentage with one decimal ("14.0%"). */
export function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
