/**
 * A deterministic synthetic corpus: words drawn from a 50,000-word vocabulary
 * with a Zipf distribution (like natural text: a few words in most rows, most
 * words in few), rows of about 200 characters.
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Corpus {
  vocabulary: string[];
  zipfWord(random: () => number): string;
  row(random: () => number): string;
}

export function createCorpus(size = 50_000): Corpus {
  const random = seededRandom(42);
  const letters = "abcdefghijklmnopqrstuvwxyz";
  const seen = new Set<string>();
  const vocabulary: string[] = [];
  while (vocabulary.length < size) {
    const length = 3 + Math.floor(random() * 8);
    let word = "";
    for (let index = 0; index < length; index++) word += letters[Math.floor(random() * 26)];
    if (!seen.has(word)) {
      seen.add(word);
      vocabulary.push(word);
    }
  }
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let rank = 0; rank < size; rank++) {
    total += 1 / (rank + 1);
    cumulative[rank] = total;
  }
  const zipfWord = (draw: () => number) => {
    const target = draw() * total;
    let low = 0;
    let high = size - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return vocabulary[low] ?? "";
  };
  const row = (draw: () => number) => {
    let text = zipfWord(draw);
    while (text.length < 200) text += ` ${zipfWord(draw)}`;
    return text;
  };
  return { vocabulary, zipfWord, row };
}

/** The p-th percentile (0-100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export function median(values: number[]): number {
  return percentile(values, 50);
}
