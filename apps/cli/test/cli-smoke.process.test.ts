import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, cairnProcess, cleanup, type ServerProcess, serverThread, startServer, tempDir } from "./harness";

/**
 * The built CLI as users run it (bin/cairn.cjs and its bundle, a process per command): the
 * smoke set kept out of process while the rest of the CLI tests call `runCli` in this one.
 */
describe("the built CLI, one process per command", () => {
  const home = tempDir("smoke-home");
  const dataDir = tempDir("smoke-server");
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer({ dataDir });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(home, dataDir);
  });

  it("prints its version and help, and exits 2 on bad usage and 4 without a login", () => {
    const version = cairnProcess(home, ["--version"]);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(cairnProcess(home, ["--help"]).stdout).toContain("thread");
    expect(cairnProcess(home, ["no-such-command"]).code).toBe(2);
    const whoami = cairnProcess(home, ["whoami", "--json"]);
    expect(whoami.code).toBe(4);
    expect(JSON.parse(whoami.stderr)).toMatchObject({ error: { code: "not_logged_in" } });
  });

  it("writes offline from stdin, logs in, and syncs what it wrote to the server", async () => {
    const written = cairnProcess(home, ["thread", "push", "--project", "smoke", "--thread", "log", "--json"], {
      input: "written before any login\n",
    });
    expect(written.json()).toMatchObject({ project: "smoke", thread: "log", synced: false });
    const user = await addUser(home, dataDir, "smoke-user");
    expect(cairnProcess(home, ["login", "--server", server.url, "--token", user.token]).code).toBe(0);
    expect(cairnProcess(home, ["sync", "adopt", "--json"]).code).toBe(0);
    const pushed = cairnProcess(home, [
      "thread",
      "push",
      "--project",
      "smoke",
      "--thread",
      "log",
      "after login",
      "--json",
    ]);
    expect(pushed.json()).toMatchObject({ synced: true });
    expect(cairnProcess(home, ["sync", "now", "--json"]).json()).toMatchObject({ pending: 0, dead: 0 });
    const onServer = await serverThread(server.url, user.token, "log", "smoke");
    expect(onServer.entries.map((entry) => entry.content)).toEqual(["written before any login", "after login"]);
  });
});
