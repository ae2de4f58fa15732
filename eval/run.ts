import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LanguageModelV3 } from "@ai-sdk/provider";
import { inProcessModel, noUsage } from "@cairn/agent/chat/model-stream";
import { askOracle, type OracleDeps } from "@cairn/agent/oracle/ask-oracle";
import { createUser } from "@cairn/core/accounts/create-user";
import { nextVersion } from "@cairn/core/hlc";
import { createIdGenerator } from "@cairn/core/ids";
import { appendEntry } from "@cairn/core/operations/append-entry";
import { remember } from "@cairn/core/operations/memories";
import { search } from "@cairn/core/operations/search";
import { userScopes } from "@cairn/core/user-scope";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import { describeMachine } from "../bench/machine";
import { type EvalQuestion, evalCorpus } from "./corpus";
import { runLocomo } from "./locomo/run-locomo";

/**
 * `npm run eval`: search and oracle quality on a deterministic corpus of agent
 * work (evalCorpus). Search: recall@5, recall@10 and MRR of the row that
 * answers each question. Oracle: citation precision (citations that point at
 * that row) and abstention accuracy (abstains exactly on the questions memory
 * holds nothing about), with the built-in model and with a scripted model
 * that cites its first source (and one source it was never given, which the
 * server must drop).
 */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cairn-eval-"));
  const store = new SqliteStore({ path: join(dir, "eval.db") });
  try {
    let clock = Date.parse("2026-09-01T00:00:00.000Z");
    const now = () => new Date(clock);
    const newId = createIdGenerator();
    const deps = { store, secrets: nodeSecrets, now, newId };
    const { user } = await createUser(deps, { name: "eval" });
    let version: string | null = null;
    const scopes = userScopes({
      ...deps,
      nextVersion: () => {
        version = nextVersion(version, clock, "eval");
        return version;
      },
    });
    const writer = scopes(user.id);
    const { rows, questions } = evalCorpus();
    const idOf = new Map<string, string>();
    const sessions = new Map<number, string>();
    for (const row of rows) {
      clock += 1_000;
      const sessionId = sessions.get(row.session) ?? newId();
      sessions.set(row.session, sessionId);
      if (row.kind === "entry") {
        const written = await appendEntry(writer, {
          project: row.project,
          thread: row.thread,
          content: row.content,
          author: "agent",
          sessionId,
        });
        idOf.set(row.key, written.id);
      } else {
        const memory = await remember(writer, { project: row.project, content: row.content, sessionId });
        idOf.set(row.key, memory.id);
      }
    }
    const answerable = questions.filter((question) => question.answer !== null);
    console.log(`machine: ${describeMachine()}`);
    console.log(
      `corpus: ${rows.length} rows (${rows.filter((row) => row.kind === "entry").length} entries, ` +
        `${rows.filter((row) => row.kind === "memory").length} memories) over 6 projects and ${sessions.size} sessions; ` +
        `${questions.length} questions (${answerable.length} answerable, ${questions.length - answerable.length} not)`,
    );

    // Search: the question as written, as an agent asks it (the ranking reads its content words).
    let hit5 = 0;
    let hit10 = 0;
    let reciprocal = 0;
    for (const question of answerable) {
      const result = await search(
        { store: store.forUser(user.id), now },
        {
          q: question.question,
          type: "entry,memory",
          limit: 10,
        },
      );
      const rank = result.hits.findIndex((hit) => hit.id === idOf.get(question.answer ?? ""));
      if (rank >= 0 && rank < 5) hit5 += 1;
      if (rank >= 0) {
        hit10 += 1;
        reciprocal += 1 / (rank + 1);
      }
    }
    const n = answerable.length;
    console.log(
      `search:  recall@5 ${(hit5 / n).toFixed(3)}, recall@10 ${(hit10 / n).toFixed(3)}, MRR ${(reciprocal / n).toFixed(3)}`,
    );

    const oracle = (model: LanguageModelV3 | null): OracleDeps => ({
      scopes,
      model,
      oracle: { budgetTokens: 4_000, timeoutMs: 10_000, retries: 0 },
    });
    await report("oracle, built-in model (extractive)", oracle(null), user.id, questions, idOf);
    const scripted = inProcessModel("eval-scripted", async () => ({
      content: [{ type: "text", text: "From the first source [1]; also [99]." }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: noUsage,
      warnings: [],
    }));
    await report("oracle, scripted model (generative path)", oracle(scripted), user.id, questions, idOf);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function report(
  name: string,
  deps: OracleDeps,
  userId: string,
  questions: EvalQuestion[],
  idOf: Map<string, string>,
): Promise<void> {
  let citations = 0;
  let correctCitations = 0;
  let answeredWithRow = 0;
  let correctAbstentions = 0;
  for (const question of questions) {
    const answer = await askOracle(deps, userId, { question: question.question });
    const shouldAbstain = question.answer === null;
    if (answer.abstained === shouldAbstain) correctAbstentions += 1;
    if (shouldAbstain || answer.abstained) continue;
    const wanted = idOf.get(question.answer ?? "") ?? "";
    const pointing = answer.citations.filter(
      (citation) => citation.ref.endsWith(wanted) || citation.ref.includes(`#${wanted.slice(0, 10)}`),
    );
    citations += answer.citations.length;
    correctCitations += pointing.length;
    if (pointing.length > 0) answeredWithRow += 1;
  }
  const answerable = questions.filter((question) => question.answer !== null).length;
  console.log(
    `${name}: citation precision ${(correctCitations / Math.max(citations, 1)).toFixed(3)}` +
      ` (${correctCitations}/${citations}), answers citing the right row ${(answeredWithRow / answerable).toFixed(3)},` +
      ` abstention accuracy ${(correctAbstentions / questions.length).toFixed(3)}`,
  );
}

/** The value after a flag (`--locomo DIR`), or undefined. */
function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const locomo = flag("--locomo");
(locomo === undefined
  ? main()
  : runLocomo(locomo, {
      out: flag("--out"),
      misses: flag("--misses"),
      databaseUrl: flag("--database-url"),
      searchOnly: process.argv.includes("--search-only"),
      weights: flag("--weights") === undefined ? undefined : JSON.parse(flag("--weights") as string),
      oracle: flag("--oracle") === undefined ? undefined : JSON.parse(flag("--oracle") as string),
      fitAbstention: process.argv.includes("--fit-abstention")
        ? Number(flag("--fit-abstention")?.match(/^0?\.\d+$/) ? flag("--fit-abstention") : 0.14)
        : undefined,
    })
).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
