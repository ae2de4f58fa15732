import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";

interface FeedEvent {
  event: string;
  id: string | undefined;
  data: Record<string, unknown>;
}

/** Reads a server-sent event stream over real HTTP; `next` waits for the next event that matches. */
async function openStream(url: string, headers: Record<string, string>) {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  expect(response.headers.get("content-type")).toContain("text/event-stream");
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const queue: FeedEvent[] = [];
  async function next(match: (event: FeedEvent) => boolean = () => true): Promise<FeedEvent> {
    for (;;) {
      const found = queue.findIndex(match);
      if (found >= 0) return queue.splice(0, found + 1).at(-1) as FeedEvent;
      queue.length = 0;
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended");
      buffer += decoder.decode(value, { stream: true });
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map(
          block
            .split("\n")
            .filter((line) => !line.startsWith(":"))
            .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)] as const),
        );
        if (fields.has("event")) {
          queue.push({
            event: fields.get("event") ?? "",
            id: fields.get("id"),
            data: JSON.parse(fields.get("data") ?? "null"),
          });
        }
        end = buffer.indexOf("\n\n");
      }
    }
  }
  return { next, close: () => abort.abort() };
}

describe("the live change feed (the web UI's timeline)", () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await createTestApp();
    base = await t.app.listen({ port: 0, host: "127.0.0.1" });
  });
  afterAll(() => t.dispose());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  const remember = async (token: string, content: string) => {
    const response = await fetch(`${base}/api/memories`, {
      method: "POST",
      headers: { ...as(token), "content-type": "application/json" },
      body: JSON.stringify({ project: "feed", content }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { memory: { id: string } }).memory.id;
  };

  it("streams each new change, deletions included, and resumes after the last id it sent", async () => {
    const stream = await openStream(`${base}/api/feed/events`, as(t.alice.token));
    await stream.next((event) => event.event === "ready");
    const id = await remember(t.alice.token, "the heron nests by the lake");
    const created = await stream.next((event) => event.event === "change");
    expect(created.data).toMatchObject({ type: "memory", memory: { id, content: "the heron nests by the lake" } });
    expect(created.id).toBe(String(created.data.seq));

    const forgot = await fetch(`${base}/api/memories/${id}`, { method: "DELETE", headers: as(t.alice.token) });
    expect(forgot.status).toBe(200);
    const deleted = await stream.next((event) => event.event === "change");
    expect(deleted.data).toMatchObject({ type: "memory", memory: { id, deletedAt: expect.any(String) } });
    stream.close();

    // Written while no stream was open: the next one, resuming after the last id, gets it.
    const missed = await remember(t.alice.token, "written while the page was closed");
    const resumed = await openStream(`${base}/api/feed/events`, {
      ...as(t.alice.token),
      "last-event-id": deleted.id ?? "",
    });
    const caughtUp = await resumed.next((event) => event.event === "change");
    expect(caughtUp.data).toMatchObject({ type: "memory", memory: { id: missed } });
    resumed.close();
  });

  it("never streams another user's changes", async () => {
    const bobs = await openStream(`${base}/api/feed/events`, as(t.bob.token));
    await bobs.next((event) => event.event === "ready");
    await remember(t.alice.token, "alice's private note");
    const own = await remember(t.bob.token, "bob's note");
    const first = await bobs.next((event) => event.event === "change");
    expect(first.data).toMatchObject({ type: "memory", memory: { id: own } });
    bobs.close();
  });

  it("pages the feed newest first", async () => {
    for (let index = 0; index < 5; index++) await remember(t.alice.token, `page note ${index}`);
    const first = (await (await fetch(`${base}/api/feed?limit=3`, { headers: as(t.alice.token) })).json()) as {
      changes: { seq: number; memory?: { content: string } }[];
      next: number | null;
      horizon: number;
    };
    expect(first.changes.map((change) => change.memory?.content)).toEqual([
      "page note 4",
      "page note 3",
      "page note 2",
    ]);
    expect(first.changes[0]?.seq).toBe(first.horizon);
    const second = (await (
      await fetch(`${base}/api/feed?limit=3&before=${first.next}`, { headers: as(t.alice.token) })
    ).json()) as { changes: { seq: number; memory?: { content: string } }[] };
    expect(second.changes.map((change) => change.memory?.content)).toEqual([
      "page note 1",
      "page note 0",
      expect.any(String),
    ]);
    expect(Math.max(...second.changes.map((change) => change.seq))).toBeLessThan(
      Math.min(...first.changes.map((c) => c.seq)),
    );
  });
});
