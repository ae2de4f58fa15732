import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  addUser,
  cairnProcess,
  cleanup,
  freePort,
  pushEntryProcess,
  type ServerProcess,
  serverThread,
  startServer,
  tempDir,
} from "./harness";

async function until<T>(probe: () => T, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the sync daemon", () => {
  const dataDir = tempDir("daemon-server");
  const home = tempDir("daemon-home");
  // The daemon inherits the environment of `daemon start`: a short tick for the test.
  const daemonEnv = { env: { CAIRN_DAEMON_TICK_MS: "400" } };
  let server: ServerProcess | null = null;
  afterAll(async () => {
    cairnProcess(home, ["sync", "daemon", "stop"]);
    await server?.stop();
    cleanup(dataDir, home);
  });

  it("pushes each write at once, retries on its tick without new writes, and stops cleanly", async () => {
    const port = await freePort();
    server = await startServer({ dataDir, port });
    const user = await addUser(home, dataDir, "daemon-user");
    expect(cairnProcess(home, ["login", "--server", server.url, "--token", user.token]).code).toBe(0);

    const started = cairnProcess(home, ["sync", "daemon", "start", "--json"], daemonEnv);
    expect(started.code, started.stderr).toBe(0);
    const { pid, scope } = started.json<{ pid: number; scope: string }>();
    expect(cairnProcess(home, ["sync", "daemon", "start", "--json"]).json()).toMatchObject({ started: false, pid });
    expect(cairnProcess(home, ["sync", "status", "--json"]).json()).toMatchObject({ daemon: { running: true, pid } });
    expect(cairnProcess(home, ["sync", "status", "--check"]).code).toBe(0);

    // The write wakes the daemon, which pushes it before the write returns.
    expect(pushEntryProcess(home, "daemon/t", "woken").json()).toMatchObject({ synced: true });
    expect((await serverThread(server.url, user.token, "t", "daemon")).total).toBe(1);

    // Server down: writes queue; the daemon keeps retrying on its own.
    await server.stop();
    for (const text of ["while down 1", "while down 2"]) {
      expect(pushEntryProcess(home, "daemon/t", text).json()).toMatchObject({ synced: false });
    }
    server = await startServer({ dataDir, port });
    const drained = await until(
      () => cairnProcess(home, ["sync", "status", "--json"]).json<{ pending: number }>(),
      (status) => status.pending === 0,
      20_000,
    );
    expect(drained.pending).toBe(0);
    const onServer = await serverThread(server.url, user.token, "t", "daemon");
    expect(onServer.entries.map((entry) => entry.content).sort()).toEqual(["while down 1", "while down 2", "woken"]);

    // `sync now` shares the scope with the daemon (it takes the same lock).
    expect(cairnProcess(home, ["sync", "now", "--json"]).json()).toMatchObject({ pending: 0 });
    const daemonStatus = cairnProcess(home, ["sync", "daemon", "status", "--json"]).json<{ running: boolean }>();
    expect(daemonStatus).toMatchObject({ running: true, lastPass: expect.objectContaining({ outcome: "ok" }) });

    const stopped = cairnProcess(home, ["sync", "daemon", "stop", "--json"]);
    expect(stopped.json()).toMatchObject({ stopped: true, pid });
    expect(existsSync(join(home, "daemons", `${scope}.json`))).toBe(false);
    expect(cairnProcess(home, ["sync", "daemon", "status", "--json"]).json()).toMatchObject({ running: false });
    // Without the daemon, writes push inline again.
    expect(pushEntryProcess(home, "daemon/t", "inline again").json()).toMatchObject({ synced: true });
  });

  it("sends nothing while the login is another account's, and drains when it is back", async () => {
    if (!server) throw new Error("the first test starts the server");
    const first = cairnProcess(home, ["whoami", "--json"]).json<{ user: { name: string } }>();
    expect(first.user.name).toBe("daemon-user");
    const tokenOf = async (name: string) => await addUser(home, dataDir, name);
    const other = await tokenOf("daemon-other");
    const original = await tokenOf("daemon-user-2");
    expect(cairnProcess(home, ["login", "--server", server.url, "--token", original.token]).code).toBe(0);
    try {
      // A tick long enough that the writes and the login switch below happen before the first one
      // (with 400 ms, a loaded machine let the tick push them under the first login: a flaky test).
      const tickMs = 3000;
      expect(
        cairnProcess(home, ["sync", "daemon", "start"], { env: { CAIRN_DAEMON_TICK_MS: String(tickMs) } }).code,
      ).toBe(0);
      for (const text of ["queued 1", "queued 2"])
        pushEntryProcess(home, "switch/t", text, { env: { CAIRN_PUSH_DEADLINE_MS: "0" } });

      // Log in as someone else: the daemon of the first scope waits, it never uses this token.
      expect(cairnProcess(home, ["login", "--server", server.url, "--token", other.token]).code).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, tickMs + 500)); // at least one tick under the other login
      expect((await serverThread(server.url, other.token, "t", "switch")).total).toBe(0);
      expect((await serverThread(server.url, original.token, "t", "switch")).total).toBe(0);

      expect(cairnProcess(home, ["login", "--server", server.url, "--token", original.token]).code).toBe(0);
      const drained = await until(
        () => cairnProcess(home, ["sync", "status", "--json"]).json<{ pending: number }>(),
        (status) => status.pending === 0,
        10_000,
      );
      expect(drained.pending).toBe(0);
      expect((await serverThread(server.url, original.token, "t", "switch")).total).toBe(2);
      expect((await serverThread(server.url, other.token, "t", "switch")).total).toBe(0);
      expect(cairnProcess(home, ["sync", "daemon", "stop", "--json"]).json()).toMatchObject({ stopped: true });
    } finally {
      // Whatever failed, the daemon of this scope must not outlive the test (afterAll stops the current login's only).
      cairnProcess(home, ["login", "--server", server.url, "--token", original.token]);
      cairnProcess(home, ["sync", "daemon", "stop"]);
    }
  });
});
