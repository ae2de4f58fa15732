import { limits } from "./limits";

/**
 * Reduces user text to plain words for the FTS engines. User text is never
 * passed raw to FTS5 or to_tsquery: quotes, `-`, `AND`, `NEAR(`, `*` and
 * unbalanced parentheses become separators, so any string is a valid query.
 * Returns [] when no word is left (the search then answers an empty list).
 */
export function searchTerms(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
  const unique = [...new Set(words)];
  return unique.slice(0, limits.searchQueryTerms);
}

/** FTS5 MATCH text for terms: each word quoted, implicitly ANDed. */
export function fts5Match(terms: string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(" ");
}
