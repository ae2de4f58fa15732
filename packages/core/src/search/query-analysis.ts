import { searchTerms } from "../search-terms";
import { type TimeSpan, timeSpansIn } from "./dates-in-text";
import { stopWords } from "./stop-words";
import { stemOf, wordsOf } from "./text-stems";

/** What a search (or a question) asks, read once. */
export interface QueryAnalysis {
  /** Every plain word, for the engines (see searchTerms). */
  words: string[];
  /** The words that carry its topic: what ranks rows. Its stop words when it has nothing else. */
  content: string[];
  /** The content words' stems (one per word, duplicates kept in step with `content`). */
  contentStems: string[];
  /** The query's stems in order, stop words included: a row holding them in a row holds the phrase. */
  phraseStems: string[];
  /** Whether every word was a stop word (the query then searches by them). */
  onlyStopWords: boolean;
  /** Times the query names: rows of that time rank higher. */
  spans: TimeSpan[];
  /** Capitalised words that are not the first of a sentence: names (a row by that author ranks higher). */
  names: string[];
  /** The question asks when (its answer is a date). */
  asksWhen: boolean;
}

/** Reads a query: its content words and their stems, the phrase, the times and names it mentions. */
export function analyzeQuery(query: string, now: Date): QueryAnalysis {
  const words = searchTerms(query);
  const spans = timeSpansIn(query, now);
  // A time named in the query is its filter, not its topic: "7 July 2023" must not rank rows with a 7 in them.
  const timeWords = new Set(spans.flatMap((span) => wordsOf(span.words)));
  const topical = words.filter((word) => !stopWords.has(word) && !timeWords.has(word));
  const onlyStopWords = topical.length === 0;
  const content = onlyStopWords ? words : topical;
  return {
    words,
    content,
    contentStems: content.map(stemOf),
    phraseStems: wordsOf(query).map(stemOf),
    onlyStopWords,
    spans,
    names: namesIn(query),
    asksWhen: /^\s*(?:when|what\s+(?:date|day|time|year|month)|how\s+long\s+ago)\b/i.test(query),
  };
}

/** Capitalised words after the first of their sentence (a sentence's first word is capitalised anyway). */
function namesIn(text: string): string[] {
  const names = new Set<string>();
  for (const sentence of text.split(/[.!?]\s+/)) {
    const words = sentence.match(/[\p{L}][\p{L}'-]*/gu) ?? [];
    for (const word of words.slice(1)) {
      if (/^\p{Lu}[\p{Ll}'-]+$/u.test(word) && !stopWords.has(word.toLowerCase())) names.add(word.replace(/'s$/, ""));
    }
  }
  return [...names];
}
