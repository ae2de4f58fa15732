import { afterAll, describe, expect, it } from "vitest";
import {
  addUser,
  cairnProcess,
  cleanup,
  pushEntryProcess,
  serverBackends,
  serverThread,
  startServer,
  tempDir,
} from "./harness";

/**
 * The client's durable steps, in order. The CLI kills itself (SIGKILL, like
 * a power cut) at each one during `thread push`; the next `sync now` must
 * leave every committed entry on the server exactly once, and nothing queued.
 */
const points = [
  "client.write.applied", // inside the write's transaction: nothing is committed
  "client.write.committed", // the entry and its outbox row, one transaction
  "client.push.in_flight", // the attempt is recorded before the request leaves
  "client.push.sent", // the request is out; the server may or may not have it
  "client.push.response", // the server committed and answered; the ack is not recorded
  "client.push.acked", // the ack is committed; the pull has not run
  "client.pull.applied", // a pulled page is committed with its cursor
] as const;

describe.each(serverBackends())("the CLI killed at each durable step ($name)", (backend) => {
  const dataDir = tempDir("client-crash-server");
  afterAll(async () => {
    cleanup(dataDir);
    await backend.dispose();
  });

  it.each(points)("%s: nothing lost, nothing doubled", async (point) => {
    const home = tempDir("client-crash");
    const databaseUrl = backend.databaseUrl();
    const server = await startServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
    try {
      const user = await addUser(
        home,
        dataDir,
        `crash-${point.replaceAll(".", "-").replaceAll("_", "-")}`,
        databaseUrl,
      );
      expect(cairnProcess(home, ["login", "--server", server.url, "--token", user.token]).code).toBe(0);
      const before = [pushEntryProcess(home, "crash/steps", "first"), pushEntryProcess(home, "crash/steps", "second")];
      expect(before.map((result) => result.json<{ synced: boolean }>().synced)).toEqual([true, true]);

      const killed = pushEntryProcess(home, "crash/steps", `written while dying at ${point}`, {
        env: { CAIRN_TEST_CRASH_AT: point },
      });
      expect(killed.signal).toBe("SIGKILL");

      const drained = cairnProcess(home, ["sync", "now", "--json"]);
      expect(drained.code, drained.stderr).toBe(0);
      expect(drained.json()).toMatchObject({ pending: 0, dead: 0 });

      const onServer = await serverThread(server.url, user.token, "steps", "crash");
      const ids = onServer.entries.map((entry) => entry.id);
      expect(new Set(ids).size).toBe(ids.length);
      const contents = onServer.entries.map((entry) => entry.content).sort();
      const committed = point !== "client.write.applied";
      expect(contents).toEqual(["first", "second", ...(committed ? [`written while dying at ${point}`] : [])].sort());
      // The local store agrees: every entry it holds is synced.
      const local = cairnProcess(home, ["thread", "show", "steps", "--project", "crash", "--json"]);
      const entries = local.json<{ entries: { content: string; synced: boolean }[] }>().entries;
      expect(entries.map((entry) => entry.content).sort()).toEqual(contents);
      expect(entries.every((entry) => entry.synced)).toBe(true);
    } finally {
      await server.stop();
      cleanup(home);
    }
  });
});
