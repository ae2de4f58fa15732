import type { AnswerabilitySignals } from "@cairn/core/operations/answerability";
import { describe, expect, it } from "vitest";
import { fitAbstention, type Observation } from "./fit-abstention";

function signals(named: number, other: number): AnswerabilitySignals {
  return {
    namedCoverage: named / 3,
    otherCoverage: other / 3,
    namedHits: named,
    namedSecond: 0,
    namedFirst: named > 0 ? 1 : 0,
    namedReacts: 0,
    otherReacts: 0,
    namedRows: named > 0 ? 1 : 0,
    otherRows: other > 0 ? 1 : 0,
    otherHits: other,
    otherSecond: 0,
    otherFirst: other > 0 ? 1 : 0,
    holdingAll: 0,
    bestCoverage: named / 3,
  };
}

/**
 * Per conversation, 40 answerable questions (the named person holds the topic) and 40
 * unanswerable ones (someone else does, bar 4 look-alikes), and one of each that retrieval gave
 * up on before the model. `blur` makes that many answerable questions look unanswerable.
 */
function observations(engine: string, blur = 0): Observation[] {
  const all: Observation[] = [];
  for (const conversation of ["a", "b", "c"]) {
    for (let index = 0; index < 40; index += 1) {
      const blurred = index < blur;
      all.push({
        engine,
        conversation,
        unanswerable: false,
        signals: blurred ? signals(1, 3) : signals(2 + (index % 2), index % 3),
        abstainsAnyway: false,
      });
      all.push({
        engine,
        conversation,
        unanswerable: true,
        signals: index % 10 === 0 ? signals(3, 0) : signals(index % 2, 3),
        abstainsAnyway: false,
      });
    }
    all.push({ engine, conversation, unanswerable: false, signals: undefined, abstainsAnyway: true });
    all.push({ engine, conversation, unanswerable: true, signals: undefined, abstainsAnyway: false });
  }
  return all;
}

describe("fitting the abstention model", () => {
  it("learns which signals mean 'not recorded' and abstains on those, within the false-abstention bound", () => {
    const fit = fitAbstention(observations("SQLite"), 0.05);
    expect(fit.model.weights.otherHits).toBeGreaterThan(0);
    expect(fit.model.weights.namedHits).toBeLessThan(0);
    const fitted = fit.fitted.SQLite;
    // 3 of 123 answerable gave up before the model: 2.4%, under the 5% allowed.
    expect(fitted?.falselyAbstains).toBeLessThanOrEqual(0.05);
    expect(fitted?.falselyAbstains).toBeGreaterThanOrEqual(3 / 123);
    // The look-alikes (4 a conversation) and the one given up on stay answered: 36 of 41 abstain in each.
    expect(fitted?.abstains).toBeCloseTo((3 * 36) / 123, 5);
    expect(fit.heldOut.SQLite?.abstains).toBeCloseTo((3 * 36) / 123, 5);
  });

  it("holds the bound on every engine: one whose answerable questions blur costs abstentions on both", () => {
    const alone = fitAbstention(observations("SQLite"), 0.06);
    const both = fitAbstention([...observations("SQLite"), ...observations("PostgreSQL", 2)], 0.06);
    expect(both.fitted.PostgreSQL?.falselyAbstains).toBeLessThanOrEqual(0.06);
    expect(both.fitted.SQLite?.falselyAbstains).toBeLessThanOrEqual(0.06);
    expect(both.model.threshold).toBeGreaterThan(alone.model.threshold);
  });

  it("abstains no more than retrieval already does when the bound is tighter than that", () => {
    const fit = fitAbstention(observations("SQLite"), 0.01);
    expect(fit.fitted.SQLite?.falselyAbstains).toBeCloseTo(3 / 123, 5);
    expect(fit.model.threshold).toBeGreaterThan(0.9);
  });
});
