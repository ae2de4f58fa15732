import { oracleSources, oracleTuning } from "@cairn/core/operations/oracle-sources";
import { fitAbstention, type Observation, type Rates } from "./fit-abstention";
import type { LocomoConversation } from "./load-locomo";
import { type LoadedServer, loadedServer, projectOf } from "./locomo-server";
import { percent } from "./metrics";

/**
 * Fits the abstention model (fit-abstention.ts) on every question's retrieval, read in this
 * process from the run's own server and, when that one is PostgreSQL, from a SQLite server too
 * (each engine's search finds somewhat different rows: one model must hold false abstention on
 * both). Makes it the model the run uses, and returns what to print: the model, to put in
 * oracleTuning, and its rates.
 */
export async function fitAbstentionModel(
  conversations: LocomoConversation[],
  falseAbstention: number,
  main: { engine: "SQLite" | "PostgreSQL"; loaded: LoadedServer },
): Promise<string> {
  const observations = await observe(main.engine, main.loaded, conversations);
  if (main.engine === "PostgreSQL") {
    const sqlite = await loadedServer(conversations, undefined);
    try {
      observations.push(...(await observe("SQLite", sqlite, conversations)));
    } finally {
      await sqlite.close();
    }
  }
  const result = fitAbstention(observations, falseAbstention);
  oracleTuning.abstention = result.model;
  const rounded = JSON.stringify(result.model, (_, value) =>
    typeof value === "number" ? Number(value.toPrecision(4)) : value,
  );
  const rate = (rates: Record<string, Rates>) =>
    Object.entries(rates)
      .map(
        ([engine, each]) =>
          `${engine} abstains on ${percent(each.abstains)} of category 5, on ${percent(each.falselyAbstains)} of categories 1-4`,
      )
      .join("; ");
  return [
    `## Abstention model, fitted on these conversations (false abstention at most ${percent(falseAbstention)} on ${Object.keys(result.fitted).join(" and ")})`,
    "",
    `- model: ${rounded}`,
    `- fitted: ${rate(result.fitted)}`,
    `- each conversation held out (fitted on the others): ${rate(result.heldOut)}`,
  ].join("\n");
}

/** Every question's retrieval on one loaded server, as the model sees it. */
async function observe(
  engine: string,
  loaded: LoadedServer,
  conversations: LocomoConversation[],
): Promise<Observation[]> {
  const me = await loaded.api.get<{ user: { id: string } }>("/api/me");
  const deps = { store: loaded.server.store.forUser(me.user.id) };
  const observations: Observation[] = [];
  for (const conversation of conversations) {
    for (const question of conversation.questions) {
      const retrieval = await oracleSources(deps, {
        question: question.question,
        project: projectOf(conversation),
        budgetTokens: 4_000,
      });
      observations.push({
        engine,
        conversation: conversation.name,
        unanswerable: question.category === 5,
        signals: retrieval.signals,
        abstainsAnyway: retrieval.signals
          ? retrieval.signals.bestCoverage < oracleTuning.sourceCoverage
          : retrieval.abstention !== undefined,
      });
    }
  }
  return observations;
}
