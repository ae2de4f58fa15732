import { stemmer } from "stemmer";
import { baseOfIrregular, irregularPastsStarting } from "./irregular-verbs";
import { stopWords } from "./stop-words";

/** The words of a text, lowercased, in order (letters, digits and underscores; apostrophes join a word). */
export function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}_]+(?:'[\p{L}]+)?/gu) ?? []).map((word) => word.replace(/'s$/, ""));
}

/**
 * A word's stem (Porter), as the SQLite index stems it: "camped", "camping" and "camps" are
 * one stem; so are "went", "gone" and "go" (irregular-verbs.ts), which the index keeps apart. PostgreSQL's Snowball stemmer differs on a few words; this one only ranks and reads
 * rows the engines already found.
 */
export function stemOf(word: string): string {
  if (!/^[a-z]+$/.test(word)) return word;
  let stem = stems.get(word);
  if (stem === undefined) {
    stem = stemmer(baseOfIrregular(word));
    // Words repeat: ranking a page stems the same few thousand again and again. Bounded, dropped whole when full.
    if (stems.size >= 50_000) stems.clear();
    stems.set(word, stem);
  }
  return stem;
}

const stems = new Map<string, string>();

/** A text's stems, in order. */
export function stemsOf(text: string): string[] {
  return wordsOf(text).map(stemOf);
}

/**
 * A text's stems without its stop words: what a row holds of a question's content words. "us" in
 * "us-east-2" is a stop word, and must not count as the stem of "use".
 */
export function contentStemsOf(text: string): string[] {
  return wordsOf(text)
    .filter((word) => !stopWords.has(word))
    .map(stemOf);
}

/**
 * Whether a (lowercased) word could stem to one of `stems`, cheaply, without stemming it: Porter
 * only rewrites a word's ending, so a word and its stem share their first two letters, unless the
 * word is an irregular past of one ("went" for "go"). Ranking and snippets stem only such words:
 * stemming every word of every candidate cost more than the engines' search. Build it once per
 * query, not per row.
 */
export function couldStemTo(stems: Iterable<string>): (word: string) => boolean {
  const starts = new Set([...stems].map((stem) => stem.slice(0, 2)));
  const pasts = irregularPastsStarting(starts);
  return (word) => starts.has(word.slice(0, 2)) || pasts.has(word);
}
