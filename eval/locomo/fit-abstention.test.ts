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
    otherHits: other,
    otherSecond: 0,
    otherFirst: other > 0 ? 1 : 0,
    holdingAll: 0,
    bestCoverage: named / 3,
  };
}

/** Answerable questions: the named person holds the topic; unanswerable: someone else does, bar a few look-alikes. */
function observations(): Observation[] {
  const all: Observation[] = [];
  for (const conversation of ["a", "b", "c"]) {
    for (let index = 0; index < 40; index += 1) {
      all.push({
        conversation,
        unanswerable: false,
        signals: signals(2 + (index % 2), index % 3),
        abstainsAnyway: false,
      });
      const lookAlike = index % 10 === 0;
      all.push({
        conversation,
        unanswerable: true,
        signals: lookAlike ? signals(3, 0) : signals(index % 2, 3),
        abstainsAnyway: false,
      });
    }
    // Retrieval gave up on these before the model: they count, whatever the model says.
    all.push({ conversation, unanswerable: false, signals: undefined, abstainsAnyway: true });
    all.push({ conversation, unanswerable: true, signals: undefined, abstainsAnyway: false });
  }
  return all;
}

describe("fitting the abstention model", () => {
  it("learns which signals mean 'not recorded' and abstains on those, within the false-abstention bound", () => {
    const fit = fitAbstention(observations(), 0.05);
    expect(fit.model.weights.otherHits).toBeGreaterThan(0);
    expect(fit.model.weights.namedHits).toBeLessThan(0);
    // 3 of 123 answerable gave up before the model: 2.4%, under the 5% allowed.
    expect(fit.fitted.falselyAbstains).toBeLessThanOrEqual(0.05);
    expect(fit.fitted.falselyAbstains).toBeGreaterThanOrEqual(3 / 123);
    // The look-alikes (4 a conversation) and the unjudged one stay answered: 36 of 41 abstain in each.
    expect(fit.fitted.abstains).toBeCloseTo((3 * 36) / 123, 5);
    expect(fit.heldOut.abstains).toBeCloseTo(fit.fitted.abstains, 5);
  });

  it("abstains less when the bound is tighter than what retrieval already spends", () => {
    const fit = fitAbstention(observations(), 0.01);
    expect(fit.fitted.falselyAbstains).toBeCloseTo(3 / 123, 5);
    expect(fit.model.threshold).toBeGreaterThan(0.9);
  });
});
