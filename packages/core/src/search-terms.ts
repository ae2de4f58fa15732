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

/**
 * How a search matches its terms: every one (`all`, the default), any one
 * (`any`), or all of them in order, as a phrase (`phrase`). Unified search
 * asks phrase, then all, then any, and ranks those tiers in that order.
 */
export type MatchMode = "all" | "any" | "phrase";

/** FTS5 MATCH text for terms: each word quoted (so never an operator), joined per mode. */
export function fts5Match(terms: string[], mode: MatchMode = "all"): string {
  const quoted = terms.map((term) => term.replaceAll('"', '""'));
  if (mode === "phrase") return `"${quoted.join(" ")}"`;
  return quoted.map((term) => `"${term}"`).join(mode === "any" ? " OR " : " ");
}

/**
 * PostgreSQL tsquery for terms (the `cairn_english` configuration: stemmed, stop words kept): the function and
 * its text. The terms are plain words (see searchTerms), so `|` between them
 * is the only operator to_tsquery sees.
 */
export function pgTsQuery(terms: string[], mode: MatchMode = "all"): { fn: string; text: string } {
  if (mode === "phrase") return { fn: "phraseto_tsquery", text: terms.join(" ") };
  if (mode === "any") return { fn: "to_tsquery", text: terms.join(" | ") };
  return { fn: "plainto_tsquery", text: terms.join(" ") };
}
