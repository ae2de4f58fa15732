import type { QueryAnalysis } from "../search/query-analysis";
import { rarity } from "../search/rarity";
import { toldSentences } from "../search/sentences";
import { contentStemsOf, stemsOf } from "../search/text-stems";

/** A row retrieval found, as answerability reads it. */
export interface TellingRow {
  type: "entry" | "memory";
  author: string | null;
  /** Its sentences that tell something (toldSentences): a question it asks back is no evidence. */
  told: string[];
  /** Search's share of the question's content words it holds (0 to 1). */
  coverage: number;
}

/**
 * What tells an answerable question from one about something memory never recorded, measured
 * on the rows retrieval found. Most unanswerable questions ask a real fact of the wrong person
 * ("What did Caroline realise after the race?" when Melanie ran it) or swap one detail, so
 * the signals compare the person the question names with everyone else: how much of the topic
 * each one's best row holds, and whether they tell it of themselves ("I", "my") or say it back
 * to the other ("your race sounds great"). They are read for questions that name someone who
 * writes in memory: the kind LoCoMo asks, and the kind a swapped person makes unanswerable.
 */
export interface AnswerabilitySignals {
  /** The named person's best row's share of the topic (the question's content words but names, weighted by rarity). */
  namedCoverage: number;
  /** Topic words in the named person's row that holds most of them, counted by sentence. */
  namedHits: number;
  /** Of that row's sentences holding the topic, how many speak in the second person ("you", "your"). */
  namedSecond: number;
  /** … how many in the first ("I", "my", "we"). */
  namedFirst: number;
  /** … and how many react to someone's news ("congrats on …", "… sounds great"). */
  namedReacts: number;
  /** How many of the named person's rows hold some of the topic: someone who often talks of a thing did it. */
  namedRows: number;
  /** The same six of everyone else's rows. */
  otherCoverage: number;
  otherHits: number;
  otherSecond: number;
  otherFirst: number;
  otherReacts: number;
  otherRows: number;
  /** With a word memory never saw, how many rows hold every other word (0 without one). */
  holdingAll: number;
  /** The best search coverage among the rows the answer may come from. */
  bestCoverage: number;
}

export type SignalName = keyof AnswerabilitySignals;

/** A logistic model over the signals: the chance a question is about something memory does not hold. */
export interface AbstentionModel {
  bias: number;
  weights: Record<SignalName, number>;
  /** Above this chance the oracle abstains. */
  threshold: number;
}

const second = /\b(?:you|your|yours|yourself)\b/i;
const reacting = /\b(?:congrats|congratulations|sounds|awesome|amazing|wow|proud of you|glad|cool|great job)\b/i;
const first = /\b(?:i|i'm|i've|me|my|mine|we|our|us)\b/i;

/** The signals for a question naming someone who wrote some of the rows (`named`), from the rows that tell something. */
export function answerabilitySignals(
  rows: TellingRow[],
  query: QueryAnalysis,
  named: Set<string>,
  holdingAll: number,
): AnswerabilitySignals {
  const names = new Set(query.names.flatMap((name) => stemsOf(name)));
  const topic = [...new Set(query.contentStems)].filter((stem) => !names.has(stem));
  const sentences = rows.map((row) =>
    row.told.map((sentence) => ({ sentence, stems: new Set(contentStemsOf(sentence)) })),
  );
  const held = sentences.map((each) => new Set(each.flatMap((sentence) => [...sentence.stems])));
  const weight = new Map(topic.map((stem) => [stem, rarity(held.filter((set) => set.has(stem)).length, held.length)]));
  const total = topic.reduce((sum, stem) => sum + (weight.get(stem) ?? 0), 0) || 1;
  const byNamed = (row: TellingRow) => row.author !== null && named.has(row.author.toLowerCase());
  const best = { named: zero(), other: zero() };
  rows.forEach((row, index) => {
    if (row.type === "memory") return;
    const side = byNamed(row) ? best.named : best.other;
    const coverage =
      topic.filter((stem) => held[index]?.has(stem)).reduce((sum, stem) => sum + (weight.get(stem) ?? 0), 0) / total;
    side.coverage = Math.max(side.coverage, coverage);
    if (coverage > 0) side.rows += 1;
    let hits = 0;
    let secondPerson = 0;
    let firstPerson = 0;
    let reacts = 0;
    for (const { sentence, stems } of sentences[index] ?? []) {
      const holding = topic.filter((stem) => stems.has(stem)).length;
      if (holding === 0) continue;
      hits += holding;
      if (second.test(sentence)) secondPerson += 1;
      if (first.test(sentence)) firstPerson += 1;
      if (reacting.test(sentence)) reacts += 1;
    }
    if (hits > side.hits) Object.assign(side, { hits, second: secondPerson, first: firstPerson, reacts });
  });
  const eligible = rows.filter((row) => row.type === "memory" || byNamed(row));
  return {
    namedCoverage: best.named.coverage,
    namedHits: best.named.hits,
    namedSecond: best.named.second,
    namedFirst: best.named.first,
    namedReacts: best.named.reacts,
    namedRows: best.named.rows,
    otherCoverage: best.other.coverage,
    otherHits: best.other.hits,
    otherSecond: best.other.second,
    otherFirst: best.other.first,
    otherReacts: best.other.reacts,
    otherRows: best.other.rows,
    holdingAll,
    bestCoverage: Math.max(0, ...eligible.map((row) => row.coverage)),
  };
}

function zero() {
  return { coverage: 0, hits: 0, second: 0, first: 0, rows: 0, reacts: 0 };
}

/** The model's chance that the question is about something memory does not hold. */
export function unanswerableChance(signals: AnswerabilitySignals, model: AbstentionModel): number {
  let logit = model.bias;
  for (const name of Object.keys(model.weights) as SignalName[]) logit += model.weights[name] * signals[name];
  return 1 / (1 + Math.exp(-logit));
}

/** A retrieved row with its telling sentences read. */
export function tellingRow(row: {
  type: "entry" | "memory";
  author: string | null;
  text: string;
  coverage: number;
}): TellingRow {
  return { type: row.type, author: row.author, told: toldSentences(row.text), coverage: row.coverage };
}
