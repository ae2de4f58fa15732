import { seededRandom } from "../bench/corpus";

/**
 * A synthetic corpus of agent work, generated deterministically: filler
 * entries and memories like the ones agents write all day, and "needles",
 * facts each stated once, with a question whose answer is that row.
 */

export interface EvalRow {
  key: string;
  kind: "entry" | "memory";
  project: string;
  thread: string;
  session: number;
  content: string;
}

export interface EvalQuestion {
  question: string;
  /** The key of the row that answers it; null: memory holds nothing on it (the oracle must abstain). */
  answer: string | null;
}

const projects = ["payments", "search", "infra", "mobile", "auth", "billing"];
const components = [
  "kestrel",
  "osprey",
  "heron",
  "falcon",
  "condor",
  "plover",
  "avocet",
  "bittern",
  "curlew",
  "dunlin",
  "egret",
  "fulmar",
  "gannet",
  "harrier",
  "ibis",
  "jacana",
  "kittiwake",
  "lapwing",
  "merlin",
  "nightjar",
  "oriole",
  "petrel",
  "quail",
  "redshank",
  "sanderling",
  "tern",
  "umbrella",
  "vireo",
  "wagtail",
  "xenops",
  "yellowlegs",
  "zitting",
  "auklet",
  "bunting",
  "chough",
  "dipper",
  "eider",
  "finch",
  "godwit",
  "hobby",
];
const absentComponents = [
  "pangolin",
  "narwhal",
  "axolotl",
  "quokka",
  "wombat",
  "okapi",
  "tapir",
  "ocelot",
  "lemur",
  "gecko",
];
const verbs = ["refactored", "profiled", "reviewed", "deployed", "tested", "documented", "migrated", "debugged"];
const nouns = ["handler", "queue", "cache", "schema", "endpoint", "worker", "parser", "client", "index", "config"];
const fillers = [
  "the build passed after the change",
  "left a note for the next session",
  "the flaky test is still flaky",
  "updated the dependency and ran the suite",
  "paired on the logging format",
  "checked the dashboard, nothing unusual",
];

/** Fact templates: the stated fact, and the question an agent would ask about it. */
const templates: {
  fact: (c: string, v: string) => string;
  question: (c: string) => string;
  value: (r: () => number) => string;
}[] = [
  {
    fact: (c, v) => `The ${c} service listens on port ${v} in staging.`,
    question: (c) => `Which port does the ${c} service use in staging?`,
    value: (r) => String(8000 + Math.floor(r() * 1000)),
  },
  {
    fact: (c, v) => `We decided the ${c} retry policy is ${v} attempts with exponential backoff.`,
    question: (c) => `What did we decide about the ${c} retry policy?`,
    value: (r) => String(2 + Math.floor(r() * 6)),
  },
  {
    fact: (c, v) => `The ${c} database was moved to region ${v} for latency.`,
    question: (c) => `Where is the ${c} database hosted now?`,
    value: (r) => ["eu-west-1", "us-east-2", "ap-south-1", "eu-central-1"][Math.floor(r() * 4)] ?? "eu-west-1",
  },
  {
    fact: (c, v) => `Owner of the ${c} pipeline on-call rotation is ${v}.`,
    question: (c) => `Who owns the ${c} pipeline rotation?`,
    value: (r) => ["Ada", "Grace", "Linus", "Barbara", "Ken", "Margaret"][Math.floor(r() * 6)] ?? "Ada",
  },
];

export function evalCorpus(options: { fillerRows?: number } = {}): { rows: EvalRow[]; questions: EvalQuestion[] } {
  const random = seededRandom(2026);
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  const rows: EvalRow[] = [];
  const questions: EvalQuestion[] = [];
  // Needles: every component with every template (160 facts), half as entries, half as memories. One in
  // four was stated before with another value (a superseded decision, written earlier): the answer is the newer.
  components.forEach((component, index) => {
    templates.forEach((template, which) => {
      const key = `needle-${index}-${which}`;
      if ((index * templates.length + which) % 4 === 0) {
        rows.push({
          key: `${key}-superseded`,
          kind: "entry",
          project: projects[index % projects.length] as string,
          thread: `${component}-notes`,
          session: Math.floor(random() * 40),
          content: template.fact(component, template.value(random)),
        });
      }
      rows.push({
        key,
        kind: (index + which) % 2 === 0 ? "entry" : "memory",
        project: projects[index % projects.length] as string,
        thread: `${component}-notes`,
        session: Math.floor(random() * 40),
        content: template.fact(component, template.value(random)),
      });
      questions.push({ question: template.question(component), answer: key });
    });
  });
  // Filler: routine work that mentions the same components and words, answering nothing.
  for (let index = 0; index < (options.fillerRows ?? 4000); index++) {
    const component = pick(components);
    rows.push({
      key: `filler-${index}`,
      kind: index % 5 === 0 ? "memory" : "entry",
      project: pick(projects),
      thread: index % 3 === 0 ? `${component}-notes` : "worklog",
      session: Math.floor(random() * 40),
      content: `${pick(verbs)} the ${component} ${pick(nouns)}; ${pick(fillers)}.`,
    });
  }
  // Questions memory holds nothing about: the oracle must abstain.
  for (const component of absentComponents) {
    questions.push({ question: `Which port does the ${component} service use in staging?`, answer: null });
    questions.push({ question: `Who owns the ${component} pipeline rotation?`, answer: null });
  }
  return { rows, questions };
}
