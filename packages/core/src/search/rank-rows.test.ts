import { describe, expect, it } from "vitest";
import { asksQuestion } from "./asks-question";
import { analyzeQuery } from "./query-analysis";
import { type RankInput, rankRows } from "./rank-rows";
import { snippetOf } from "./snippet";
import { stemsOf } from "./text-stems";

const now = new Date("2026-12-02T15:00:00.000Z");

function row(text: string, extra: Partial<RankInput> = {}): RankInput & { name: string } {
  return {
    name: text,
    engineScore: 1,
    type: "entry",
    text,
    author: null,
    createdAt: "2026-11-01T00:00:00.000Z",
    ...extra,
  };
}

const order = (rows: (RankInput & { name: string })[], q: string) =>
  rankRows(rows, analyzeQuery(q, now)).map((ranked) => ranked.name);

describe("rankRows", () => {
  it("ranks a row with the one rare word above rows with three common ones", () => {
    const filler = Array.from({ length: 10 }, (_, index) => row(`meeting notes update number ${index}`));
    const rare = row("the pelican arrived");
    const ranked = order([...filler, row("meeting notes update again today"), rare], "pelican meeting notes update");
    expect(ranked[0]).toBe("the pelican arrived");
  });

  it("ranks the exact phrase above the same words scattered, whatever the engine said", () => {
    const scattered = row("the policy on every retry is written down", { engineScore: 5 });
    const phrase = row("our retry policy is three attempts", { engineScore: 1 });
    expect(order([scattered, phrase], "retry policy")).toEqual([phrase.name, scattered.name]);
    expect(rankRows([scattered, phrase], analyzeQuery("retry policy", now)).map((ranked) => ranked.match)).toEqual([
      "phrase",
      "all",
    ]);
  });

  it("matches word forms, and ranks words side by side above words far apart", () => {
    const near = row("we went camping near the lake");
    const far = row("lake views are nice, and on some other weekend we might go camping");
    expect(order([far, near], "camped lake")).toEqual([near.name, far.name]);
  });

  it("reads an irregular past as its verb: 'went' holds 'go', 'bought' holds 'buy'", () => {
    const went = row("I went to an LGBTQ conference two days ago");
    const other = row("the conference schedule is online");
    expect(order([other, went], "When did Caroline go to the conference?")).toEqual([went.name, other.name]);
    expect(rankRows([row("I went to a conference")], analyzeQuery("go to a conference", now))[0]?.match).toBe("phrase");
    expect(stemsOf("bought buys buying")).toEqual(["bui", "bui", "bui"]);
    expect(stemsOf("constructor went")).toEqual(["constructor", "go"]);
  });

  it("prefers rows by the person a question names, and rows of the time it names", () => {
    const byAna = row("moved the boxes", { author: "Ana" });
    const byBen = row("moved the boxes", { author: "Ben" });
    expect(order([byBen, byAna], "what did Ana move")[0]).toBe(byAna.name);
    const july = row("shipped the release", { createdAt: "2026-07-07T10:00:00.000Z" });
    const june = row("shipped the release", { createdAt: "2026-06-07T10:00:00.000Z" });
    expect(rankRows([june, july], analyzeQuery("what shipped in July 2026", now))[0]?.createdAt).toBe(july.createdAt);
  });

  it("keeps the newer row first at equal score", () => {
    const older = row("same words", { createdAt: "2026-01-01T00:00:00.000Z" });
    const newer = row("same words", { createdAt: "2026-02-01T00:00:00.000Z" });
    expect(rankRows([older, newer], analyzeQuery("same words", now)).map((ranked) => ranked.createdAt)).toEqual([
      newer.createdAt,
      older.createdAt,
    ]);
  });
});

describe("snippets and questions", () => {
  it("marks the words in the form they were written, around their densest run", () => {
    const text = `${"filler ".repeat(40)}we camped by the lake${" filler".repeat(40)}`;
    const snippet = snippetOf(text, analyzeQuery("camping lake", now).contentStems);
    expect(snippet).toContain("<mark>camped</mark> by the <mark>lake</mark>");
    expect(snippet.startsWith("…")).toBe(true);
    expect(snippet.endsWith("…")).toBe(true);
  });

  it("tells a row that asks from one that tells", () => {
    expect(asksQuestion("Do you take the kids to the park often?")).toBe(true);
    expect(asksQuestion("What made you choose that shade? Tell me all about it!")).toBe(true);
    expect(asksQuestion("Look at this!\n[shared a photo: a park?]")).toBe(false);
    expect(asksQuestion("Yeah, a few times a week.")).toBe(false);
  });
});
