import { cpSync, readdirSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  cairn,
  cleanup,
  pushEntry,
  type ServerProcess,
  serverBackends,
  serverThread,
  startServer,
  tempDir,
} from "./harness";

interface Status {
  deviceId: string;
  pending: number;
  dead: number;
  lastError: string | null;
  fork: { from: string; device: string; settled: boolean } | null;
  problems: { code: string; message: string }[];
}

async function contents(home: string, where: string): Promise<string[]> {
  const [project = "", thread = ""] = where.split("/");
  const shown = await cairn(home, ["thread", "show", thread, "--project", project, "--limit", "500", "--json"]);
  return shown.json<{ entries: { content: string }[] }>().entries.map((entry) => entry.content);
}

/** The one store file of a home's logged-in scope. */
function scopeStore(home: string): string {
  const name = readdirSync(join(home, "stores")).find((file) => file.endsWith(".db") && !file.startsWith("local"));
  if (!name) throw new Error(`no scope store in ${home}`);
  return join(home, "stores", name);
}

describe.each(serverBackends())("a copied CAIRN_HOME and text no store can hold ($name)", (backend) => {
  const dataDir = tempDir("copied-server");
  const databaseUrl = backend.databaseUrl();
  const homes: string[] = [];
  let server: ServerProcess;
  let users = 0;
  const login = async (home: string, token: string) =>
    expect((await cairn(home, ["login", "--server", server.url, "--token", token])).code).toBe(0);
  const newUser = async () => await addUser(dataDir, dataDir, `copier-${++users}`, databaseUrl);
  const newHome = (name: string) => {
    const home = tempDir(name);
    homes.push(home);
    return home;
  };

  beforeAll(async () => {
    server = await startServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(dataDir, ...homes);
    await backend.dispose();
  });

  it("loses nothing and doubles nothing when a home is copied and both copies write", async () => {
    const user = await newUser();
    const original = newHome("original");
    await login(original, user.token);
    for (const n of [1, 2, 3])
      expect((await pushEntry(original, "work/log", `before copy ${n}`)).json()).toMatchObject({ synced: true });
    const copy = newHome("copy");
    cpSync(original, copy, { recursive: true });
    for (const n of [1, 2, 3])
      expect((await pushEntry(original, "work/log", `original ${n}`)).json()).toMatchObject({ synced: true });
    for (const n of [1, 2, 3, 4, 5]) expect((await pushEntry(copy, "work/log", `copy ${n}`)).code).toBe(0);

    const expected = [
      ...[1, 2, 3].map((n) => `before copy ${n}`),
      ...[1, 2, 3].map((n) => `original ${n}`),
      ...[1, 2, 3, 4, 5].map((n) => `copy ${n}`),
    ].sort();
    const onServer = await serverThread(server.url, user.token, "log", "work");
    expect(onServer.entries.map((entry) => entry.content).sort()).toEqual(expected);

    // The copy found it was not the device the server knows, and says so.
    const copyStatus = (await cairn(copy, ["sync", "status", "--json"])).json<Status>();
    const originalStatus = (await cairn(original, ["sync", "status", "--json"])).json<Status>();
    expect(copyStatus.fork).toMatchObject({ from: originalStatus.deviceId, device: copyStatus.deviceId });
    expect(copyStatus.deviceId).not.toBe(originalStatus.deviceId);
    expect(originalStatus.fork).toBeNull();
    expect((await cairn(copy, ["sync", "status"])).stdout).toMatch(/another copy of this store pushed under that id/);

    // Each copy now pulls what the other wrote after the copy.
    expect((await cairn(original, ["sync", "now", "--json"])).code).toBe(0);
    expect((await cairn(copy, ["sync", "now", "--json"])).code).toBe(0);
    expect((await contents(original, "work/log")).sort()).toEqual(expected);
    expect((await contents(copy, "work/log")).sort()).toEqual(expected);
    // And later writes of both still land once.
    await pushEntry(original, "work/log", "original later");
    await pushEntry(copy, "work/log", "copy later");
    const later = await serverThread(server.url, user.token, "log", "work");
    expect(later.entries).toHaveLength(13);
  });

  it("names the situation in `sync status --check` until the copy has re-sent and pulled everything", async () => {
    const user = await newUser();
    const original = newHome("original-check");
    await login(original, user.token);
    await pushEntry(original, "work/log", "one");
    const copy = newHome("copy-check");
    cpSync(original, copy, { recursive: true });
    await pushEntry(original, "work/log", "two");
    const offline = { env: { CAIRN_PUSH_DEADLINE_MS: "0" } };
    expect((await pushEntry(copy, "work/log", "three", offline)).json()).toMatchObject({ synced: false });
    // The push finds the fork and re-sends; the process dies in the pull that follows.
    const killed = await cairn(copy, ["sync", "now", "--json"], {
      env: { CAIRN_TEST_CRASH_AT: "client.pull.applied" },
    });
    expect(killed.signal).toBe("SIGKILL");
    const check = await cairn(copy, ["sync", "status", "--check", "--json"]);
    expect(check.code).toBe(2);
    const problem = check.json<Status>().problems.find((found) => found.code === "device_forked");
    expect(problem?.message).toMatch(/copied or restored/);

    expect((await cairn(copy, ["sync", "now", "--json"])).json()).toMatchObject({ pending: 0, dead: 0 });
    const after = await cairn(copy, ["sync", "status", "--check", "--json"]);
    expect(after.code).toBe(0);
    expect(after.json<Status>().fork).toMatchObject({ settled: true });
    expect((await contents(copy, "work/log")).sort()).toEqual(["one", "three", "two"]);
  });

  it("refuses a NUL byte wherever text comes in, so no row can block a queue", async () => {
    const user = await newUser();
    const home = newHome("nul");
    await login(home, user.token);
    const refused = await cairn(home, ["thread", "push", "--project", "work", "--thread", "nul", "--json"], {
      input: "a\u0000b",
    });
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stderr).error).toMatchObject({
      code: "invalid_input",
      message: expect.stringMatching(/NUL/),
    });
    expect((await cairn(home, ["remember", "--json"], { input: "pass\u0000word" })).code).toBe(2);
    expect((await cairn(home, ["sync", "status", "--json"])).json<Status>().pending).toBe(0);

    // Over HTTP, every kind of route answers 422 naming the field, never 500.
    const headers = { authorization: `Bearer ${user.token}`, "content-type": "application/json" };
    const attempts: [string, string, unknown?][] = [
      ["POST", "/api/memories", { project: "work", content: "a\u0000b" }],
      ["POST", "/api/tasks", { title: "pay\u0000rent" }],
      ["POST", "/api/threads/sync", { project: "work", thread: "t", entries: [{ id: "e1", content: "x\u0000" }] }],
      ["POST", "/api/sessions", { project: "work", agent: "a\u0000" }],
      ["POST", "/api/chat", { message: "add\u0000milk" }],
      ["POST", "/api/oracle/ask", { question: "what\u0000" }],
      ["GET", "/api/search?q=a%00b"],
      ["GET", "/api/memories?project=a%00"],
      ["GET", "/api/threads/a%00b"],
      ["POST", "/api/tasks", { title: "year zero", due: "0000-01-01T00:00:00Z" }],
    ];
    for (const [method, path, body] of attempts) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const answer = (await response.json()) as { error?: { code: string } };
      expect({ path, status: response.status, code: answer.error?.code }).toEqual({
        path,
        status: 422,
        code: "invalid_input",
      });
    }
  });

  it("parks a row queued by an older release with a NUL byte, and sends the rows behind it", async () => {
    const user = await newUser();
    const home = newHome("old-nul");
    await login(home, user.token);
    await pushEntry(home, "work/old", "first");
    // What the previous release committed locally for `printf 'a\0b' | cairn thread push`,
    // and a row with a year-0000 time: both in the outbox, with a good row behind them.
    const db = new Database(scopeStore(home));
    const queue = db.prepare("INSERT INTO outbox (op, args, entity_id, client_time, bytes) VALUES (?, ?, ?, ?, ?)");
    const entry = (id: string, content: string, createdAt: string) =>
      JSON.stringify({ id, projectId: "work", threadId: "old", sessionId: null, author: "", content, createdAt });
    const now = new Date().toISOString();
    for (const [id, args] of [
      ["nul-row", entry("nul-row", "a\u0000b", now)],
      ["year-zero", entry("year-zero", "old", "0000-01-01T00:00:00.000Z")],
      ["good-row", entry("good-row", "behind the bad ones", now)],
    ] as const) {
      queue.run("entry.append", args, id, now, Buffer.byteLength(args));
    }
    db.close();

    const synced = await cairn(home, ["sync", "now", "--json"]);
    expect(synced.json()).toMatchObject({ pending: 0, dead: 2 });
    const onServer = await serverThread(server.url, user.token, "old", "work");
    expect(onServer.entries.map((row) => row.content)).toEqual(["first", "behind the bad ones"]);
    const check = await cairn(home, ["sync", "status", "--check", "--json"]);
    expect(check.code).toBe(2);
    expect(check.json<Status>().problems.map((problem) => problem.code)).toContain("dead_rows");
    const queueRows = (await cairn(home, ["sync", "queue", "--json"])).json<{
      queue: { entityId: string; lastError: string }[];
    }>();
    expect(queueRows.queue.map((row) => [row.entityId, row.lastError])).toEqual([
      ["nul-row", expect.stringMatching(/invalid_input.*NUL/)],
      ["year-zero", expect.stringMatching(/invalid_input.*year/)],
    ]);
  });
});
