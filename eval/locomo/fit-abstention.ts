import {
  type AbstentionModel,
  type AnswerabilitySignals,
  type SignalName,
  unanswerableChance,
} from "@cairn/core/operations/answerability";

/** One question as the abstention model sees it. */
export interface Observation {
  /** The database engine whose search read it: one model must hold on every engine. */
  engine: string;
  conversation: string;
  /** Category 5: memory does not hold the answer. */
  unanswerable: boolean;
  /** What the model reads; undefined when it does not judge the question (no one named, or retrieval gave up first). */
  signals: AnswerabilitySignals | undefined;
  /** Retrieval abstains whatever the model says (no topic, unknown words, no row holding enough of the question). */
  abstainsAnyway: boolean;
}

export interface AbstentionFit {
  model: AbstentionModel;
  /** On the questions it was fitted on, by engine. */
  fitted: Record<string, Rates>;
  /** Each conversation judged by a model fitted on the others (a fair guess of unseen conversations), by engine. */
  heldOut: Record<string, Rates>;
}

export interface Rates {
  /** Share of category-5 questions the oracle abstains on. */
  abstains: number;
  /** Share of answerable questions it abstains on. */
  falselyAbstains: number;
}

/**
 * Fits the oracle's abstention model on LoCoMo's questions: L2-regularised logistic regression
 * of "category 5" on the answerability signals, then the lowest threshold whose false
 * abstention (everything counted: the questions retrieval gave up on before the model too)
 * stays within `falseAbstention` on every engine.
 */
export function fitAbstention(observations: Observation[], falseAbstention: number): AbstentionFit {
  const model = fitOn(observations, falseAbstention);
  const heldOut: boolean[] = new Array(observations.length).fill(false);
  for (const conversation of new Set(observations.map((each) => each.conversation))) {
    const other = fitOn(
      observations.filter((each) => each.conversation !== conversation),
      falseAbstention,
    );
    observations.forEach((each, index) => {
      if (each.conversation === conversation) heldOut[index] = abstains(each, other);
    });
  }
  return {
    model,
    fitted: rates(
      observations,
      observations.map((each) => abstains(each, model)),
    ),
    heldOut: rates(observations, heldOut),
  };
}

function fitOn(observations: Observation[], falseAbstention: number): AbstentionModel {
  const modelled = observations.filter((each) => each.signals !== undefined && !each.abstainsAnyway);
  const names = Object.keys(modelled[0]?.signals ?? {}) as SignalName[];
  const rows = modelled.map((each) => names.map((name) => (each.signals as AnswerabilitySignals)[name]));
  const labels = modelled.map((each) => (each.unanswerable ? 1 : 0));
  // Standardised for the fit (every signal weighs on one scale), folded back into raw weights after.
  const mean = names.map((_, column) => average(rows.map((row) => row[column] as number)));
  const scale = names.map(
    (_, column) =>
      Math.sqrt(average(rows.map((row) => ((row[column] as number) - (mean[column] as number)) ** 2))) || 1,
  );
  const standard = rows.map((row) =>
    row.map((value, column) => (value - (mean[column] as number)) / (scale[column] as number)),
  );
  const { bias, weights } = logistic(standard, labels, 1);
  const unscaled = names.map((_, column) => (weights[column] as number) / (scale[column] as number));
  const raw = Object.fromEntries(names.map((name, column) => [name, unscaled[column]])) as Record<SignalName, number>;
  const rawBias = bias - unscaled.reduce((sum, weight, column) => sum + weight * (mean[column] as number), 0);
  const model: AbstentionModel = { bias: rawBias, weights: raw, threshold: 1 };
  // The lowest threshold (abstaining most) whose false abstention stays within bounds.
  for (let threshold = 0.05; threshold < 0.96; threshold += 0.01) {
    const candidate = { ...model, threshold: Math.round(threshold * 100) / 100 };
    const judged = rates(
      observations,
      observations.map((each) => abstains(each, candidate)),
    );
    if (Object.values(judged).every((each) => each.falselyAbstains <= falseAbstention)) return candidate;
  }
  return model;
}

/** Batch gradient descent on the mean log loss plus L2 (the scikit-learn objective divided by n·C). */
function logistic(rows: number[][], labels: number[], c: number): { bias: number; weights: number[] } {
  const width = rows[0]?.length ?? 0;
  const weights: number[] = new Array(width).fill(0);
  let bias = 0;
  const n = rows.length || 1;
  for (let step = 0; step < 4_000; step += 1) {
    const gradient: number[] = weights.map((weight) => weight / (c * n));
    let biasGradient = 0;
    rows.forEach((row, index) => {
      const error = sigmoid(bias + dot(weights, row)) - (labels[index] as number);
      biasGradient += error / n;
      row.forEach((value, column) => {
        gradient[column] = (gradient[column] as number) + (error * value) / n;
      });
    });
    bias -= 0.5 * biasGradient;
    for (let column = 0; column < width; column += 1)
      weights[column] = (weights[column] as number) - 0.5 * (gradient[column] as number);
  }
  return { bias, weights };
}

function abstains(observation: Observation, model: AbstentionModel): boolean {
  if (observation.abstainsAnyway) return true;
  return observation.signals !== undefined && unanswerableChance(observation.signals, model) > model.threshold;
}

function rates(observations: Observation[], abstained: boolean[]): Record<string, Rates> {
  const byEngine: Record<string, Rates> = {};
  for (const engine of new Set(observations.map((each) => each.engine))) {
    const share = (unanswerable: boolean) => {
      const indices = observations.flatMap((each, index) =>
        each.engine === engine && each.unanswerable === unanswerable ? [index] : [],
      );
      return indices.filter((index) => abstained[index]).length / (indices.length || 1);
    };
    byEngine[engine] = { abstains: share(true), falselyAbstains: share(false) };
  }
  return byEngine;
}

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

function dot(a: number[], b: number[]): number {
  return a.reduce((sum, value, index) => sum + value * (b[index] as number), 0);
}

function average(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / (values.length || 1);
}
