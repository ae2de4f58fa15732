import { describe, expect, it } from "vitest";
import { timeSpansIn } from "./dates-in-text";
import { analyzeQuery } from "./query-analysis";

const now = new Date("2026-12-02T15:00:00.000Z");

describe("analyzeQuery", () => {
  it("keeps the content words of a question, stemmed, and leaves out the words questions are made of", () => {
    const query = analyzeQuery("When did Caroline give a speech at a school?", now);
    expect(query.content).toEqual(["caroline", "give", "speech", "school"]);
    expect(query.contentStems).toEqual(["carolin", "give", "speech", "school"]);
    expect(query.onlyStopWords).toBe(false);
    expect(query.asksWhen).toBe(true);
    expect(query.names).toEqual(["Caroline"]);
  });

  it("searches by the stop words of a query made only of them", () => {
    const query = analyzeQuery("to be or not to be", now);
    expect(query.onlyStopWords).toBe(true);
    expect(query.content).toEqual(["to", "be", "or", "not"]);
    expect(query.phraseStems).toEqual(["to", "be", "or", "not", "to", "be"]);
  });

  it("reads the time a question names as its filter, not its topic", () => {
    const query = analyzeQuery("What did Nate make on 9 November, 2022?", now);
    expect(query.content).toEqual(["nate", "make"]);
    expect(query.spans).toEqual([
      { from: "2022-11-09T00:00:00.000Z", to: "2022-11-10T00:00:00.000Z", words: "9 november, 2022" },
    ]);
    expect(query.asksWhen).toBe(false);
  });

  it("finds no names in a sentence's first word or in stop words", () => {
    expect(analyzeQuery("Deploy the service now", now).names).toEqual([]);
    expect(analyzeQuery("what did Jon and Gina decide", now).names).toEqual(["Jon", "Gina"]);
  });
});

describe("timeSpansIn", () => {
  const spans = (text: string) => timeSpansIn(text, now).map((span) => [span.from.slice(0, 10), span.to.slice(0, 10)]);

  it("reads days in their usual spellings", () => {
    expect(spans("on 7 July, 2023")).toEqual([["2023-07-07", "2023-07-08"]]);
    expect(spans("on July 7th 2023")).toEqual([["2023-07-07", "2023-07-08"]]);
    expect(spans("on December 1,2023")).toEqual([["2023-12-01", "2023-12-02"]]);
    expect(spans("on 2023-07-07")).toEqual([["2023-07-07", "2023-07-08"]]);
  });

  it("reads months and years, a month without a year being the latest one", () => {
    expect(spans("in May 2023")).toEqual([["2023-05-01", "2023-06-01"]]);
    expect(spans("in May")).toEqual([["2026-05-01", "2026-06-01"]]);
    expect(spans("in December")).toEqual([["2026-12-01", "2027-01-01"]]);
    expect(spans("during 2022")).toEqual([["2022-01-01", "2023-01-01"]]);
    // "may" the verb is no month.
    expect(spans("what may we deploy")).toEqual([]);
  });

  it("reads spans relative to now", () => {
    expect(spans("yesterday")).toEqual([["2026-12-01", "2026-12-02"]]);
    expect(spans("last week")).toEqual([["2026-11-25", "2026-12-02"]]);
    expect(spans("last month")).toEqual([["2026-11-01", "2026-12-01"]]);
    expect(spans("3 days ago")).toEqual([["2026-11-28", "2026-12-01"]]);
  });
});
