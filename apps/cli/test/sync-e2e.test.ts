import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, cairn, cleanup, freePort, pushEntry, serverThread, startServer, tempDir } from "./harness";

// The whole slice with real processes: the built CLI against `cairn serve` on loopback.
describe("thread sync end to end", () => {
  const dataDir = tempDir("server");
  const homeA = tempDir("device-a");
  const homeB = tempDir("device-b");
  const homeAdmin = tempDir("admin");
  let port: number;
  let alice: { id: string; token: string };

  beforeAll(async () => {
    port = await freePort();
    const server = await startServer({ dataDir, port });
    alice = await addUser(homeAdmin, dataDir, "alice");
    for (const home of [homeA, homeB]) {
      const login = await cairn(home, ["login", "--server", server.url, "--token", alice.token, "--json"]);
      expect(login.code).toBe(0);
      expect(login.stdout).not.toContain(alice.token);
    }
    expect(await server.stop()).toBe(0);
  });
  afterAll(() => cleanup(dataDir, homeA, homeB, homeAdmin));

  it("commits locally with the server down, then lands exactly once", async () => {
    const offline = await pushEntry(homeA, "demo/parser", "found the bug in the parser");
    expect(offline.code).toBe(0);
    const written = offline.json<{ id: string; thread: string; project: string; synced: boolean }>();
    expect(written).toMatchObject({ thread: "parser", project: "demo", synced: false });

    const status = (await cairn(homeA, ["sync", "status", "--json"])).json<{ pending: number; lastError: string }>();
    expect(status.pending).toBe(1);
    expect(status.lastError).toMatch(/unavailable/);

    const server = await startServer({ dataDir, port });
    try {
      const now = await cairn(homeA, ["sync", "now", "--json"]);
      expect(now.code).toBe(0);
      expect(now.json()).toMatchObject({ pushed: 1, pending: 0, dead: 0 });
      expect((await cairn(homeA, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 0, pending: 0 });
      // The error of the failed push is history once a sync has worked.
      expect((await cairn(homeA, ["sync", "status", "--json"])).json()).toMatchObject({
        lastError: null,
        lastErrorAt: null,
      });

      const onServer = await serverThread(server.url, alice.token, "parser", "demo");
      expect(onServer.entries.map((entry) => entry.id)).toEqual([written.id]);
      expect(onServer.entries[0]?.content).toBe("found the bug in the parser");

      const shown = (await cairn(homeA, ["thread", "show", "parser", "--project", "demo", "--json"])).json<{
        entries: { id: string; synced: boolean }[];
      }>();
      expect(shown.entries).toEqual([expect.objectContaining({ id: written.id, synced: true })]);
    } finally {
      await server.stop();
    }
  });

  it("shows one device's entries on another after a pull, and searches them on both sides", async () => {
    const server = await startServer({ dataDir, port });
    try {
      const pushed = await pushEntry(homeA, "demo/retry", "the retry policy needs jitter");
      expect(pushed.json()).toMatchObject({ synced: true });
      expect((await cairn(homeB, ["sync", "now", "--json"])).json<{ pulled: number }>().pulled).toBeGreaterThan(0);
      const onB = (await cairn(homeB, ["thread", "show", "retry", "--project", "demo", "--json"])).json<{
        entries: { content: string; synced: boolean }[];
      }>();
      expect(onB.entries).toEqual([
        expect.objectContaining({ content: "the retry policy needs jitter", synced: true }),
      ]);

      const reply = await pushEntry(homeB, "demo/retry", "added full jitter");
      expect(reply.json()).toMatchObject({ synced: true });
      await cairn(homeA, ["sync", "now", "--json"]);
      const onA = (await cairn(homeA, ["thread", "show", "retry", "--project", "demo", "--json"])).json<{
        entries: { content: string }[];
      }>();
      expect(onA.entries.map((entry) => entry.content)).toEqual(["the retry policy needs jitter", "added full jitter"]);

      const local = (await cairn(homeB, ["search", "--all-projects", "parser", "--json"])).json<{
        hits: { project: string; snippet: string }[];
      }>();
      expect(local.hits).toHaveLength(1);
      expect(local.hits[0]).toMatchObject({ project: "demo", snippet: expect.stringContaining("<mark>parser</mark>") });
      const remote = (await cairn(homeB, ["search", "--remote", "--all-projects", "parser", "--json"])).json<{
        hits: unknown[];
      }>();
      expect(remote.hits).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });

  it("creates and deletes threads, and the tombstone reaches the server and the other device", async () => {
    const server = await startServer({ dataDir, port });
    try {
      const created = await cairn(homeA, ["thread", "new", "Scratch Pad", "--project", "demo", "--json"]);
      expect(created.json()).toMatchObject({ thread: "scratch-pad", project: "demo", synced: true });
      await pushEntry(homeA, "demo/scratch-pad", "temporary note");
      await cairn(homeB, ["sync", "now"]);
      const listed = (await cairn(homeB, ["thread", "list", "--project", "demo", "--json"])).json<{
        threads: { id: string; entryCount: number }[];
      }>();
      expect(listed.threads).toContainEqual(expect.objectContaining({ id: "scratch-pad", entryCount: 1 }));

      const removed = await cairn(homeB, ["thread", "rm", "scratch-pad", "--project", "demo", "--json"]);
      expect(removed.json()).toMatchObject({ thread: "scratch-pad", synced: true });
      expect((await serverThread(server.url, alice.token, "scratch-pad", "demo")).status).toBe(404);
      await cairn(homeA, ["sync", "now"]);
      const afterA = (await cairn(homeA, ["thread", "list", "--project", "demo", "--json"])).json<{
        threads: { id: string }[];
      }>();
      expect(afterA.threads.map((thread) => thread.id)).not.toContain("scratch-pad");
      expect((await cairn(homeA, ["search", "--project", "demo", "temporary", "--json"])).json()).toMatchObject({
        hits: [],
        nextCursor: null,
      });
    } finally {
      await server.stop();
    }
  });

  it("lists the queue while the server is down, and logout keeps the queued rows", async () => {
    await pushEntry(homeB, "demo/offline", "written offline");
    const queue = (await cairn(homeB, ["sync", "queue", "--json"])).json<{
      queue: { op: string; state: string; lastError: string }[];
    }>();
    expect(queue.queue).toEqual([
      expect.objectContaining({
        op: "entry.append",
        state: "pending",
        lastError: expect.stringMatching(/^unavailable/),
      }),
    ]);
    const logout = await cairn(homeB, ["logout", "--json"]);
    expect(logout.json()).toEqual({ loggedOut: true, pending: 1 });
    expect((await cairn(homeB, ["whoami"])).code).toBe(4);
    const server = await startServer({ dataDir, port });
    try {
      expect((await cairn(homeB, ["login", "--server", server.url, "--token", alice.token])).code).toBe(0);
      expect((await cairn(homeB, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 1, pending: 0 });
    } finally {
      await server.stop();
    }
  });

  it("keeps another user's data out of reach and writes land in the right account", async () => {
    const server = await startServer({ dataDir, port });
    const homeBob = tempDir("bob");
    try {
      const bob = await addUser(homeAdmin, dataDir, "bob");
      expect((await cairn(homeBob, ["login", "--server", server.url, "--token", bob.token, "--json"])).code).toBe(0);
      expect((await pushEntry(homeBob, "demo/parser", "bob's own note")).json()).toMatchObject({ synced: true });
      expect((await cairn(homeBob, ["sync", "now", "--json"])).json()).toMatchObject({ pending: 0 });

      // Bob's pull brought nothing of Alice's; his search does not find her words.
      const bobShow = (await cairn(homeBob, ["thread", "show", "parser", "--project", "demo", "--json"])).json<{
        entries: { content: string }[];
      }>();
      expect(bobShow.entries.map((entry) => entry.content)).toEqual(["bob's own note"]);
      expect((await cairn(homeBob, ["search", "--remote", "--all-projects", "jitter", "--json"])).json()).toMatchObject(
        {
          hits: [],
          nextCursor: null,
        },
      );

      // Over HTTP, Bob's token sees only Bob's thread; Alice's is unchanged.
      const bobView = await serverThread(server.url, bob.token, "retry", "demo");
      expect(bobView.status).toBe(404);
      const aliceView = await serverThread(server.url, alice.token, "parser", "demo");
      expect(aliceView.entries.map((entry) => entry.content)).toEqual(["found the bug in the parser"]);
    } finally {
      await server.stop();
      cleanup(homeBob);
    }
  });
});
