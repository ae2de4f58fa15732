import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { oracleTuning } from "@cairn/core/operations/oracle-sources";
import { rankWeights } from "@cairn/core/search/rank-rows";
import { describeMachine } from "../../bench/machine";
import { type Baseline, baselinesFor } from "./baselines";
import { fitAbstentionModel } from "./fit-on-engines";
import { type LocomoQuestion, loadLocomo } from "./load-locomo";
import { loadedServer, projectOf } from "./locomo-server";
import { Mean, percent, type RankFigures, rankFigures, tokenF1 } from "./metrics";

const categories = { 1: "multi-hop", 2: "temporal", 3: "open-domain", 4: "single-hop", 5: "adversarial" } as const;
type Category = keyof typeof categories;

/** Running means of the four retrieval figures, for one system in one category. */
class RankMeans {
  recall5 = new Mean();
  recall10 = new Mean();
  hit10 = new Mean();
  reciprocalRank = new Mean();
  add(figures: RankFigures): void {
    this.recall5.add(figures.recall5);
    this.recall10.add(figures.recall10);
    this.hit10.add(figures.hit10);
    this.reciprocalRank.add(figures.reciprocalRank);
  }
}

/** The oracle's figures in one category. */
class OracleMeans {
  abstained = new Mean();
  citesEvidence = new Mean();
  f1 = new Mean();
}

interface SearchPage {
  hits: { id: string; type: string }[];
}

interface OracleReply {
  answer: string;
  abstained: boolean;
  citations: { ref: string }[];
}

/**
 * `npm run eval -- --locomo DIR [--out FILE] [--misses FILE] [--database-url postgres://…]`: LoCoMo through the
 * server's real API. Each conversation file becomes a project, each session a thread, each turn
 * an entry by its speaker at the session's time (a photo's caption kept with its turn). Every
 * question is asked of `GET /api/search` (the question as written, ten entries) and of `POST
 * /api/oracle/ask` with the built-in model; two FTS5 baselines are built in the same run on the
 * same turns. Prints, per category and overall, recall@5, recall@10, hit@10 and MRR for each, and
 * the oracle's citation validity, answers citing an evidence turn, abstentions and token F1.
 */
export async function runLocomo(
  dir: string,
  options: {
    out?: string | undefined;
    misses?: string | undefined;
    databaseUrl?: string | undefined;
    /** Only the search figures (faster, to tune ranking). */
    searchOnly?: boolean | undefined;
    /** Ranking weights to try instead of the built-in ones (this process serves the API: see rankWeights). */
    weights?: Partial<typeof rankWeights> | undefined;
    /** The oracle's relevance thresholds to try instead of the built-in ones (see oracleTuning). */
    oracle?: Partial<typeof oracleTuning> | undefined;
    /** Fit the abstention model on these conversations first, holding false abstention within this share. */
    fitAbstention?: number | undefined;
  },
) {
  const conversations = loadLocomo(dir);
  if (options.weights) Object.assign(rankWeights, options.weights);
  if (options.oracle) Object.assign(oracleTuning, options.oracle);
  const loaded = await loadedServer(conversations, options.databaseUrl);
  try {
    const { api, turnOfRef, turnOfId, loadedIn } = loaded;
    const engine = options.databaseUrl ? "PostgreSQL" : "SQLite";
    const fitted =
      options.fitAbstention === undefined
        ? null
        : await fitAbstentionModel(conversations, options.fitAbstention, { engine, loaded });

    const systems = ["Cairn GET /api/search", "FTS5 bm25, words OR'd", "FTS5 porter, stop words out"];
    const ranks = new Map<string, Map<Category | "all", RankMeans>>(systems.map((name) => [name, new Map()]));
    const oracle = new Map<Category | "all" | "answerable", OracleMeans>();
    let citations = 0;
    let validCitations = 0;
    let skipped = 0;
    // The questions search missed (no evidence turn in its ten), and those the oracle got wrong (an answer
    // to an unanswerable question, an abstention or no evidence cited on an answerable one): --misses FILE
    // writes them, one JSON a line, to study.
    const misses: unknown[] = [];
    const asked = Date.now();
    for (const conversation of conversations) {
      const project = projectOf(conversation);
      const turns = conversation.sessions.flatMap((session) => session.turns);
      const known = new Set(turns.map((turn) => turn.diaId));
      const baselines: Baseline[] = baselinesFor(turns);
      try {
        for (const question of conversation.questions) {
          const evidence = question.evidence.filter((id) => known.has(id));
          if (evidence.length > 0) {
            const page = await api.get<SearchPage>(
              `/api/search?${new URLSearchParams({ q: question.question, project, type: "entry", limit: "10" })}`,
            );
            const cairn = page.hits.map((hit) => turnOfId.get(hit.id) ?? "");
            const figures = rankFigures(cairn, evidence);
            record(ranks, systems[0] as string, question.category, figures);
            if (figures.hit10 === 0) {
              misses.push({
                kind: "search",
                conversation: conversation.name,
                ...question,
                evidence,
                top: cairn.slice(0, 5),
              });
            }
            for (const baseline of baselines) {
              record(
                ranks,
                baseline.name,
                question.category,
                rankFigures(baseline.search(question.question, 10), evidence),
              );
            }
          } else {
            skipped += 1;
          }
          if (options.searchOnly) continue;
          const reply = await api.post<OracleReply>("/api/oracle/ask", { question: question.question, project });
          citations += reply.citations.length;
          validCitations += reply.citations.filter((citation) => turnOfRef.has(citation.ref)).length;
          const cited = reply.citations.some((citation) => evidence.includes(turnOfRef.get(citation.ref) ?? ""));
          const wrong = question.category === 5 ? !reply.abstained : reply.abstained || !cited;
          if (wrong) {
            misses.push({
              kind: question.category === 5 ? "answered" : reply.abstained ? "abstained" : "uncited",
              conversation: conversation.name,
              ...question,
              evidence,
              answer: reply.answer,
              cited: reply.citations.map((citation) => turnOfRef.get(citation.ref) ?? citation.ref),
            });
          }
          const keys: (Category | "all" | "answerable")[] = [question.category, "all"];
          if (question.category !== 5) keys.push("answerable");
          for (const key of keys) {
            const means = oracle.get(key) ?? new OracleMeans();
            oracle.set(key, means);
            means.abstained.add(reply.abstained ? 1 : 0);
            if (question.category !== 5) {
              means.citesEvidence.add(!reply.abstained && cited ? 1 : 0);
              means.f1.add(reply.abstained ? 0 : tokenF1(reply.answer, question.answer ?? ""));
            }
          }
        }
      } finally {
        for (const baseline of baselines) baseline.close();
      }
    }
    const questions = conversations.reduce((sum, each) => sum + each.questions.length, 0);
    const turnCount = turnOfId.size;
    const report = [
      `# LoCoMo: ${conversations.length} conversations from ${dir}`,
      "",
      `- date: ${new Date().toISOString()}`,
      `- commit: ${commit()}`,
      `- machine: ${describeMachine()}`,
      `- database: ${engine}; model: built-in (offline)`,
      `- ranking weights: ${JSON.stringify(rankWeights)}; oracle: ${JSON.stringify(oracleTuning)}`,
      `- ${turnCount} turns loaded through POST /api/threads/sync in ${(loadedIn / 1000).toFixed(1)} s; ` +
        `${questions} questions asked in ${((Date.now() - asked) / 1000).toFixed(1)} s ` +
        `(${skipped} whose evidence names no turn left out of the search figures)`,
      "",
      ...(fitted === null ? [] : [fitted, ""]),
      "## Search (entries, the question as written)",
      "",
      searchTable(systems, ranks),
      "",
      "## Oracle (built-in model)",
      "",
      oracleTable(oracle),
      "",
      `Citation validity: ${validCitations} of ${citations} citations name exactly one loaded entry ` +
        `(${percent(citations === 0 ? 1 : validCitations / citations)}).`,
      "",
    ].join("\n");
    console.log(report);
    if (options.out) writeFileSync(options.out, report);
    if (options.misses) writeFileSync(options.misses, `${misses.map((miss) => JSON.stringify(miss)).join("\n")}\n`);
  } finally {
    await loaded.close();
  }
}

function record(
  ranks: Map<string, Map<Category | "all", RankMeans>>,
  system: string,
  category: LocomoQuestion["category"],
  figures: RankFigures,
): void {
  const bySystem = ranks.get(system);
  if (!bySystem) return;
  for (const key of [category, "all"] as const) {
    const means = bySystem.get(key) ?? new RankMeans();
    bySystem.set(key, means);
    means.add(figures);
  }
}

const columns: (Category | "all")[] = [1, 2, 3, 4, 5, "all"];

function heading(): string {
  const names = columns.map((key) => (key === "all" ? "overall" : `${key} ${categories[key]}`));
  return `| | ${names.join(" | ")} |\n|---|${columns.map(() => "---:").join("|")}|`;
}

function searchTable(systems: string[], ranks: Map<string, Map<Category | "all", RankMeans>>): string {
  const rows: string[] = [heading()];
  const counts = ranks.get(systems[0] as string);
  rows.push(`| questions | ${columns.map((key) => counts?.get(key)?.hit10.count ?? 0).join(" | ")} |`);
  for (const figure of ["hit10", "recall5", "recall10", "reciprocalRank"] as const) {
    const label = { hit10: "hit@10", recall5: "recall@5", recall10: "recall@10", reciprocalRank: "MRR" }[figure];
    for (const system of systems) {
      const bySystem = ranks.get(system);
      rows.push(
        `| ${label}, ${system} | ${columns.map((key) => (bySystem?.get(key)?.[figure].value ?? 0).toFixed(3)).join(" | ")} |`,
      );
    }
  }
  return rows.join("\n");
}

function oracleTable(oracle: Map<Category | "all" | "answerable", OracleMeans>): string {
  const keys: (Category | "answerable")[] = [1, 2, 3, 4, "answerable", 5];
  const names = keys.map((key) => (key === "answerable" ? "1-4" : `${key} ${categories[key]}`));
  const rows = [`| | ${names.join(" | ")} |`, `|---|${keys.map(() => "---:").join("|")}|`];
  const cell = (key: Category | "answerable", pick: (means: OracleMeans) => Mean, answerableOnly: boolean) => {
    if (answerableOnly && key === 5) return "";
    const means = oracle.get(key);
    return means ? percent(pick(means).value) : "";
  };
  rows.push(`| questions | ${keys.map((key) => oracle.get(key)?.abstained.count ?? 0).join(" | ")} |`);
  rows.push(`| abstained | ${keys.map((key) => cell(key, (means) => means.abstained, false)).join(" | ")} |`);
  rows.push(
    `| cites an evidence turn | ${keys.map((key) => cell(key, (means) => means.citesEvidence, true)).join(" | ")} |`,
  );
  rows.push(
    `| token F1 | ${keys.map((key) => (key === 5 ? "" : (oracle.get(key)?.f1.value ?? 0).toFixed(3))).join(" | ")} |`,
  );
  return rows.join("\n");
}

function commit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return "unknown (not a git checkout)";
  }
}
