import { afterAll, describe, expect, it } from "vitest";
import {
  addUser,
  cairnProcess,
  cleanup,
  freePort,
  pushEntryProcess,
  serverBackends,
  serverThread,
  startServer,
  tempDir,
} from "./harness";

const entries = 25;

/**
 * Crash tests: the server kills itself with SIGKILL at a named point of a push
 * batch (before its transaction commits, and after the commit but before the
 * answer). After a restart the client drains again: every entry is on the
 * server exactly once.
 */
const cases = serverBackends().flatMap((backend) =>
  ["push.applied", "push.committed"].map((point) => ({ backend, point, name: `${point} (${backend.name})` })),
);

describe.each(cases)("server killed at $name", ({ backend, point }) => {
  const dataDir = tempDir("crash-server");
  const home = tempDir("crash-client");
  const databaseUrl = backend.databaseUrl();
  const db = databaseUrl ? { databaseUrl } : {};
  afterAll(async () => {
    cleanup(dataDir, home);
    await backend.dispose();
  });

  it("loses nothing and duplicates nothing", async () => {
    const port = await freePort();
    let server = await startServer({ dataDir, port, ...db });
    const alice = await addUser(home, dataDir, `alice-${point.replace(".", "-")}`, databaseUrl);
    expect(cairnProcess(home, ["login", "--server", server.url, "--token", alice.token]).code).toBe(0);
    await server.stop();

    // Queue a batch while the server is down, so one push carries all of it.
    const ids: string[] = [];
    for (let index = 0; index < entries; index++) {
      const written = pushEntryProcess(home, "crash/batch", `entry number ${index}`, {
        env: { CAIRN_PUSH_DEADLINE_MS: "0" },
      });
      expect(written.code).toBe(0);
      ids.push(written.json<{ id: string }>().id);
    }

    server = await startServer({ dataDir, port, ...db, env: { CAIRN_TEST_CRASH_AT: point } });
    const interrupted = cairnProcess(home, ["sync", "now", "--json"]);
    expect(interrupted.code).not.toBe(0);
    await server.exited;
    expect(server.child.signalCode).toBe("SIGKILL");
    expect(cairnProcess(home, ["sync", "status", "--json"]).json()).toMatchObject({ pending: entries });

    server = await startServer({ dataDir, port, ...db });
    try {
      const drained = cairnProcess(home, ["sync", "now", "--json"]);
      expect(drained.code).toBe(0);
      expect(drained.json()).toMatchObject({ pending: 0, dead: 0 });
      const onServer = await serverThread(server.url, alice.token, "batch", "crash");
      expect(onServer.total).toBe(entries);
      expect(onServer.entries.map((entry) => entry.id).sort()).toEqual([...ids].sort());
    } finally {
      await server.stop();
    }
  });
});
