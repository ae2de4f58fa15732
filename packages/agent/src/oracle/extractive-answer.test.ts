import { chooseSources, type OracleSource } from "@cairn/core/operations/oracle-sources";
import { analyzeQuery } from "@cairn/core/search/query-analysis";
import { describe, expect, it } from "vitest";
import { extractiveAnswer } from "./extractive-answer";
import { whenSaid } from "./relative-dates";

const now = new Date("2026-12-02T12:00:00.000Z");

function source(text: string, extra: Partial<OracleSource> = {}): OracleSource {
  const id = `E${text.length}${text.slice(0, 3).replace(/\W/g, "")}`;
  return {
    ref: `thread:talk#${id}`,
    type: "entry",
    id,
    text,
    snippet: text,
    score: 1,
    author: "Ana",
    createdAt: "2023-05-08T13:56:00.000Z",
    project: "p",
    coverage: 1,
    context: [],
    thread: "talk",
    ...extra,
  };
}

describe("the built-in model's answer", () => {
  it("answers with the one sentence that holds the question's words, in their other forms, cited", () => {
    const text = "Hi Ben! Busy week at work. We camped by the lake near Tahoe last weekend. The kids loved it.";
    const { answer, cited } = extractiveAnswer([source(text)], analyzeQuery("Where did Ana go camping?", now));
    expect(answer).toBe("We camped by the lake near Tahoe last weekend. [1]");
    expect(cited.map((row) => row.ref)).toEqual([source(text).ref]);
  });

  it("answers 'when' with the date the sentence means, from the day it was written", () => {
    const text = "I went to a support group yesterday and it was so powerful.";
    const { answer } = extractiveAnswer([source(text)], analyzeQuery("When did Ana go to the support group?", now));
    expect(answer).toBe("7 May 2023 [1]");
  });

  it("takes the answer from the entry after a question, and cites that entry", () => {
    const asked = source("Do you take the kids to the park often?", {
      author: "Ben",
      context: [
        { id: "REPLY1", author: "Ana", content: "Yeah, a few times a week.", createdAt: "2023-05-08T13:57:00.000Z" },
      ],
    });
    const { answer, cited } = extractiveAnswer(
      [asked],
      analyzeQuery("How often does Ana take the kids to the park?", now),
    );
    expect(answer).not.toContain("?");
    expect(cited.map((row) => row.ref)).toEqual(["thread:talk#REPLY1"]);
    expect(answer).toBe("Yeah, a few times a week. [1]");
  });
});

describe("the built-in model's answer, across turns", () => {
  it("reads a reply's first sentence with the question it answers", () => {
    const reply = source("Seven years now. It keeps me calm.", {
      context: [
        {
          id: "ASKED1",
          author: "Ben",
          content: "How long have you been painting?",
          createdAt: "2023-05-08T13:55:00.000Z",
        },
      ],
    });
    const other = source("Painting with the kids is messy but fun.", { coverage: 0.5 });
    const { answer, cited } = extractiveAnswer([other, reply], analyzeQuery("How long has Ana been painting?", now));
    expect(answer.startsWith("Seven years now. [1]")).toBe(true);
    expect(cited[0]?.ref).toBe(reply.ref);
  });

  it("reads the question into the reply's first sentence that says something, past a greeting", () => {
    const asked = {
      id: "ASKED2",
      author: "Ben",
      content: "How long have you been painting?",
      createdAt: "2023-05-08T13:55:00.000Z",
    };
    const reply = source("Thanks, Ben! Seven years now. It keeps me calm.", { context: [asked] });
    const { answer } = extractiveAnswer([reply], analyzeQuery("How long has Ana been painting?", now));
    expect(answer).toBe("Seven years now. [1]");
    const short = source("Yeah, a few times a week. They love the swings.", {
      context: [{ ...asked, content: "Do you take the kids to the park often?" }],
    });
    expect(extractiveAnswer([short], analyzeQuery("How often does Ana take the kids to the park?", now)).answer).toBe(
      "Yeah, a few times a week. [1]",
    );
  });

  it("answers a question about a person in that person's words, not a neighbour's by someone else", () => {
    const row = source("Thanks! I finally picked a road bike for the commute.", {
      context: [
        {
          id: "BEN1",
          author: "Ben",
          content: "I picked a road bike for the commute too, a blue one.",
          createdAt: "2023-05-08T13:55:00.000Z",
        },
      ],
    });
    const { answer, cited } = extractiveAnswer([row], analyzeQuery("What bike did Ana pick for the commute?", now));
    expect(cited.map((each) => each.ref)).toEqual([row.ref]);
    expect(answer).toBe("I finally picked a road bike for the commute. [1]");
  });

  it("gives up to three close sentences from as many rows, each cited, and one for 'when'", () => {
    const rows = [
      source("The garden grows tomatoes and basil this year.", { id: "G1", ref: "thread:talk#G1" }),
      source("Tomatoes and basil grow well in our garden.", { id: "G2", ref: "thread:talk#G2" }),
      source("Basil and tomatoes grow in the garden beds.", { id: "G3", ref: "thread:talk#G3" }),
      source("The garden gate squeaks.", { id: "G4", ref: "thread:talk#G4", coverage: 0.1 }),
    ];
    const { answer, cited } = extractiveAnswer(
      rows,
      analyzeQuery("What grows in Ana's garden, tomatoes or basil?", now),
    );
    expect(cited.map((row) => row.ref).sort()).toEqual(["thread:talk#G1", "thread:talk#G2", "thread:talk#G3"]);
    expect(answer.match(/\[\d\]/g)).toEqual(["[1]", "[2]", "[3]"]);
    const when = extractiveAnswer(rows, analyzeQuery("When did Ana plant tomatoes in the garden?", now));
    expect(when.cited).toHaveLength(1);
  });
});

describe("which rows answer a question (chooseSources)", () => {
  it("answers a question about a person from what that person wrote, and abstains when only someone else holds it", () => {
    const melanie = source("I ran a charity race last Saturday and realized self-care is important.", {
      author: "Melanie",
    });
    const caroline = source("Thanks, Melanie! Painting keeps me calm.", { author: "Caroline", coverage: 0.3 });
    const about = (question: string) => chooseSources([melanie, caroline], analyzeQuery(question, now));
    const answered = about("What did Melanie realize after the charity race?");
    expect("sources" in answered && answered.sources).toEqual([melanie]);
    expect(about("What did Caroline realize after the charity race?")).toMatchObject({ abstention: "not_recorded" });
  });

  it("takes a row that tells and then asks back as evidence, but not one that only asks", () => {
    const tellsThenAsks = source("We camped by the lake near Tahoe last weekend! Have you ever been?", {
      author: "Ana",
    });
    const answered = chooseSources([tellsThenAsks], analyzeQuery("Where did Ana go camping?", now));
    expect("sources" in answered && answered.sources).toEqual([tellsThenAsks]);
    const asking = source("What made you choose that shade of blue?", { author: "Jo" });
    const weak = source("Blue is nice.", { coverage: 0.1 });
    expect(chooseSources([asking, weak], analyzeQuery("Why did Jo choose blue?", now))).toEqual({
      abstention: "nothing_relevant",
    });
  });
});

describe("whenSaid", () => {
  const written = new Date("2023-05-25T13:00:00.000Z");
  it("turns the words of time into dates of the day they were written", () => {
    expect(whenSaid("I ran a charity race last Sunday", written)).toBe("the Sunday before 25 May 2023");
    expect(whenSaid("We moved last month", written)).toBe("April 2023");
    expect(whenSaid("Two days ago I painted", written)).toBe("23 May 2023");
    expect(whenSaid("I painted that last year", written)).toBe("2022");
    expect(whenSaid("Just got the keys!", written)).toBe("25 May 2023");
  });
});
