import { describe, expect, it } from "vitest";
import { fts5Match, searchTerms } from "./search-terms";

describe("searchTerms", () => {
  it("keeps words and drops every FTS operator and punctuation", () => {
    expect(searchTerms('"parser" AND -x NEAR(a, b) * ) (')).toEqual(["parser", "and", "x", "near", "a", "b"]);
    expect(searchTerms("!!! ??? ...")).toEqual([]);
    expect(searchTerms("🔥🚀")).toEqual([]);
    expect(searchTerms("Café naïve 東京 déjà_vu 42")).toEqual(["café", "naïve", "東京", "déjà_vu", "42"]);
  });

  it("deduplicates and caps the number of terms", () => {
    expect(searchTerms("retry Retry RETRY policy")).toEqual(["retry", "policy"]);
    expect(searchTerms(Array.from({ length: 100 }, (_, index) => `w${index}`).join(" "))).toHaveLength(32);
  });

  it("quotes every term for FTS5, in each match mode", () => {
    expect(fts5Match(["parser", "and"])).toBe('"parser" "and"');
    expect(fts5Match(["parser", "or"], "any")).toBe('"parser" OR "or"');
    expect(fts5Match(["retry", "policy"], "phrase")).toBe('"retry policy"');
  });
});
