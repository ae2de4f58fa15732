import { describe, expect, it } from "vitest";
import { analyzeQuery } from "../search/query-analysis";
import { type AbstentionModel, answerabilitySignals, tellingRow, unanswerableChance } from "./answerability";

const now = new Date("2026-12-03T12:00:00.000Z");

function row(author: string, text: string, coverage = 1) {
  return tellingRow({ type: "entry", author, text, coverage });
}

describe("answerability signals", () => {
  const melanie = row("Melanie", "I ran a charity race last Saturday. I realized self-care matters so much.");
  const echo = row("Caroline", "That charity race sounds great! You must have realized a lot.", 0.6);

  it("sets what the named person tells of themselves against what someone else tells", () => {
    const signals = answerabilitySignals(
      [melanie, echo],
      analyzeQuery("What did Melanie realize after the charity race?", now),
      new Set(["melanie"]),
      0,
    );
    expect(signals).toMatchObject({
      namedCoverage: 1,
      namedHits: 3,
      namedFirst: 2,
      namedSecond: 0,
      otherCoverage: 1,
      otherHits: 3,
      otherFirst: 0,
      otherSecond: 1,
      namedReacts: 0,
      otherReacts: 1,
      namedRows: 1,
      otherRows: 1,
      bestCoverage: 1,
    });
  });

  it("reads a swapped person: the named one only says the topic back, in the second person", () => {
    const signals = answerabilitySignals(
      [melanie, echo],
      analyzeQuery("What did Caroline realize after the charity race?", now),
      new Set(["caroline"]),
      0,
    );
    expect(signals).toMatchObject({
      namedHits: 3,
      namedFirst: 0,
      namedSecond: 1,
      namedReacts: 1,
      otherFirst: 2,
      bestCoverage: 0.6,
    });
  });

  it("counts only the sentences a row tells: a question it asks back is no evidence", () => {
    expect(row("Ana", "We camped by the lake! Have you ever been camping?").told).toEqual(["We camped by the lake!"]);
    const signals = answerabilitySignals(
      [row("Ana", "Have you ever been camping?"), row("Ben", "Camping is my favourite thing.")],
      analyzeQuery("Where did Ana go camping?", now),
      new Set(["ana"]),
      0,
    );
    expect(signals).toMatchObject({ namedHits: 0, namedCoverage: 0, otherHits: 1 });
    expect(signals.otherCoverage).toBeGreaterThan(0);
  });

  it("weighs the signals as a logistic model: the chance rises with each weight's signal", () => {
    const signals = answerabilitySignals(
      [melanie, echo],
      analyzeQuery("What did Caroline realize after the charity race?", now),
      new Set(["caroline"]),
      0,
    );
    const zero = Object.fromEntries(Object.keys(signals).map((name) => [name, 0])) as AbstentionModel["weights"];
    const model: AbstentionModel = { bias: 0, weights: zero, threshold: 0.5 };
    expect(unanswerableChance(signals, model)).toBe(0.5);
    expect(unanswerableChance(signals, { ...model, weights: { ...zero, namedSecond: 2 } })).toBeCloseTo(
      1 / (1 + Math.exp(-2)),
    );
    expect(unanswerableChance(signals, { ...model, weights: { ...zero, namedHits: -1 } })).toBeLessThan(0.1);
  });
});
