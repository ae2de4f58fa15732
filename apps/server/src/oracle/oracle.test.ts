import { say, scriptedModel } from "@cairn/agent/chat/testing/scripted-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";

async function seed(t: TestApp, token: string) {
  const headers = { authorization: `Bearer ${token}` };
  const batch = {
    project: "svc",
    thread: "decisions",
    entries: [
      {
        id: "01JORACLEENTRY0000000001",
        content: "We decided the retry policy: three attempts with exponential backoff and full jitter.",
      },
      { id: "01JORACLEENTRY0000000002", content: "Lunch was pizza. Nothing else happened today." },
    ],
  };
  const synced = await t.app.inject({ method: "POST", url: "/api/threads/sync", headers, payload: batch });
  expect(synced.statusCode).toBe(200);
  const memory = await t.app.inject({
    method: "POST",
    url: "/api/memories",
    headers,
    payload: { project: "svc", content: "The payments service uses port 8443 in staging.", kind: "fact" },
  });
  return (memory.json() as { memory: { id: string } }).memory.id;
}

function ask(t: TestApp, token: string, payload: Record<string, unknown>) {
  return t.app.inject({
    method: "POST",
    url: "/api/oracle/ask",
    headers: { authorization: `Bearer ${token}` },
    payload,
  });
}

describe("the oracle with the built-in offline model (extractive)", () => {
  let t: TestApp;
  let memoryId: string;
  beforeAll(async () => {
    t = await createTestApp();
    memoryId = await seed(t, t.alice.token);
  });
  afterAll(async () => t.dispose());

  it("answers with the best matching sentences, each cited, citations pointing at the user's own rows", async () => {
    const response = await ask(t, t.alice.token, { question: "What did we decide about the retry policy?" });
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      answer: string;
      citations: { ref: string; snippet: string }[];
      abstained: boolean;
    };
    expect(body.abstained).toBe(false);
    expect(body.answer).toContain("three attempts with exponential backoff and full jitter. [1]");
    expect(body.answer).not.toContain("pizza");
    expect(body.citations).toEqual([
      expect.objectContaining({
        ref: "thread:decisions#01JORACLEENTRY0000000001",
        snippet: expect.stringContaining("retry policy"),
      }),
    ]);
    // GET /api/refs opens what a citation names, for its owner only.
    const opened = await t.app.inject({
      url: `/api/refs?ref=${encodeURIComponent(body.citations[0]?.ref ?? "")}`,
      headers: { authorization: `Bearer ${t.alice.token}` },
    });
    expect(opened.json()).toMatchObject({ type: "entry", entry: { id: "01JORACLEENTRY0000000001" } });
    const short = await t.app.inject({
      url: `/api/refs?ref=${encodeURIComponent("thread:decisions#01JORACLEENTRY0000000002".slice(0, 27))}`,
      headers: { authorization: `Bearer ${t.alice.token}` },
    });
    expect(short.statusCode).toBe(409);
    expect(short.json().error.code).toBe("conflict");
    const theirs = await t.app.inject({
      url: `/api/refs?ref=${encodeURIComponent(body.citations[0]?.ref ?? "")}`,
      headers: { authorization: `Bearer ${t.bob.token}` },
    });
    expect(theirs.statusCode).toBe(404);
    const port = (await ask(t, t.alice.token, { question: "which port does payments use in staging" })).json();
    expect(port).toMatchObject({ abstained: false, citations: [{ ref: `memory:${memoryId}` }] });
  });

  it("abstains when memory holds nothing on the question, and for another user", async () => {
    const absent = (await ask(t, t.alice.token, { question: "What is our kubernetes autoscaling policy?" })).json();
    expect(absent).toEqual({ answer: "Memory holds nothing about that.", citations: [], abstained: true });
    const bob = (await ask(t, t.bob.token, { question: "What did we decide about the retry policy?" })).json();
    expect(bob).toMatchObject({ abstained: true, citations: [] });
    expect((await ask(t, t.alice.token, { question: "   " })).statusCode).toBe(422);
  });

  it("answers a paraphrase, and abstains when the thing asked about is unknown and the rest is generic", async () => {
    // "hosted" occurs nowhere, but "payments" and "staging" point at one row: a paraphrase, answered.
    const paraphrase = (await ask(t, t.alice.token, { question: "where is payments hosted in staging?" })).json();
    expect(paraphrase).toMatchObject({ abstained: false });
    // "pangolin" occurs nowhere and most of the question is unknown: nothing about it.
    const unknown = (await ask(t, t.alice.token, { question: "pangolin zebrafish retry?" })).json();
    expect(unknown).toMatchObject({ abstained: true });
  });

  it("streams as server-sent events ending with the same body", async () => {
    const response = await ask(t, t.alice.token, { question: "retry policy", stream: true });
    expect(response.headers["content-type"]).toContain("text/event-stream");
    const events = response.body
      .trim()
      .split("\n\n")
      .map((block) => {
        const [event, data] = block.split("\n");
        return { event: event?.slice(7), data: JSON.parse(data?.slice(6) ?? "null") as Record<string, unknown> };
      });
    expect(events.map((event) => event.event)).toEqual(["text", "done"]);
    expect(events[1]?.data).toMatchObject({
      abstained: false,
      citations: [{ ref: "thread:decisions#01JORACLEENTRY0000000001" }],
    });
    expect(events[0]?.data.delta).toBe(events[1]?.data.answer);
  });
});

describe("the oracle with a generative model (scripted)", () => {
  const model = scriptedModel();
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { chatModel: model });
    await seed(t, t.alice.token);
  });
  afterAll(async () => t.dispose());

  it("keeps only citations of retrieved sources, checked server-side", async () => {
    model.push(say("Three attempts with jitter [1]. Also see [7] and [0]."));
    const body = (await ask(t, t.alice.token, { question: "What did we decide about the retry policy?" })).json();
    expect(body).toMatchObject({ abstained: false, citations: [{ ref: "thread:decisions#01JORACLEENTRY0000000001" }] });
    expect(body.answer).toBe("Three attempts with jitter [1]. Also see and.");
    // The model saw the numbered sources and the question; the next entry of the thread only as the
    // source's context (the answer to a question is often a turn away), never as a source it may cite.
    const prompt = JSON.stringify(model.prompts[model.prompts.length - 1]);
    expect(prompt).toContain("[1] (thread:decisions#01JORACLEENTRY0000000001, ");
    expect(prompt).toContain("(next to it, 2");
    expect(prompt).not.toContain("[2] (thread:");
    expect(prompt).not.toContain("01JORACLEENTRY0000000002");
  });

  it("abstains when the model finds nothing, or cites nothing it was given", async () => {
    model.push(say("NOTHING"));
    expect((await ask(t, t.alice.token, { question: "retry policy details" })).json()).toMatchObject({
      abstained: true,
    });
    model.push(say("It is five attempts [4]."));
    expect((await ask(t, t.alice.token, { question: "retry policy details" })).json()).toMatchObject({
      abstained: true,
      citations: [],
    });
    // Nothing retrieved: the model is not even asked.
    const before = model.prompts.length;
    expect((await ask(t, t.alice.token, { question: "quantum entanglement" })).json()).toMatchObject({
      abstained: true,
    });
    expect(model.prompts.length).toBe(before);
  });
});
