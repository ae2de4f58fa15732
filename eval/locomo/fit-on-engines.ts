import { oracleSources, oracleTuning } from "@cairn/core/operations/oracle-sources";
import pg from "pg";
import { fitAbstention, type Observation, type Rates } from "./fit-abstention";
import type { LocomoConversation } from "./load-locomo";
import { loadedServer, projectOf } from "./locomo-server";

/**
 * Fits the abstention model (fit-abstention.ts) on every question's retrieval, read in this
 * process, on SQLite and, given a PostgreSQL URL, on PostgreSQL too (each engine's search finds
 * somewhat different rows: one model must hold false abstention on both). Makes it the model the
 * run uses, and returns what to print: the model, to put in oracleTuning, and its rates.
 */
export async function fitAbstentionModel(
  conversations: LocomoConversation[],
  falseAbstention: number,
  databaseUrl: string | undefined,
): Promise<string> {
  const engines: { name: string; url: string | undefined }[] = [{ name: "SQLite", url: undefined }];
  if (databaseUrl) engines.push({ name: "PostgreSQL", url: await freshSchema(databaseUrl) });
  const observations: Observation[] = [];
  for (const engine of engines) {
    const loaded = await loadedServer(conversations, engine.url);
    try {
      const me = await loaded.api.get<{ user: { id: string } }>("/api/me");
      const deps = { store: loaded.server.store.forUser(me.user.id) };
      for (const conversation of conversations) {
        for (const question of conversation.questions) {
          const retrieval = await oracleSources(deps, {
            question: question.question,
            project: projectOf(conversation),
            budgetTokens: 4_000,
          });
          observations.push({
            engine: engine.name,
            conversation: conversation.name,
            unanswerable: question.category === 5,
            signals: retrieval.signals,
            abstainsAnyway: retrieval.signals
              ? retrieval.signals.bestCoverage < oracleTuning.sourceCoverage
              : retrieval.abstention !== undefined,
          });
        }
      }
    } finally {
      await loaded.close();
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
    `## Abstention model, fitted on these conversations (false abstention at most ${percent(falseAbstention)} on ${engines.map((engine) => engine.name).join(" and ")})`,
    "",
    `- model: ${rounded}`,
    `- fitted: ${rate(result.fitted)}`,
    `- each conversation held out (fitted on the others): ${rate(result.heldOut)}`,
  ].join("\n");
}

/** The URL with a schema of its own for the fit, emptied first (the server needs a new database). */
async function freshSchema(databaseUrl: string): Promise<string> {
  const url = new URL(databaseUrl);
  const schema = `${url.searchParams.get("schema") ?? "cairn"}_abstention_fit`;
  url.searchParams.delete("schema");
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${client.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
  url.searchParams.set("schema", schema);
  return url.toString();
}

function percent(value: number): string {
  return `${(value * 100).toFixed(1)}%`;
}
