import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import { addDeadJob } from "@cairn/store/testing/dead-job";
import { afterAll, describe, expect, it } from "vitest";
import { addUser, cairn, cleanup, startServer, tempDir } from "./harness";

const dirs: string[] = [];
function dir(prefix: string): string {
  const created = tempDir(prefix);
  dirs.push(created);
  return created;
}
afterAll(() => cleanup(...dirs));

describe("the CLI on its own", () => {
  it("reads the entry from stdin when no text is given", async () => {
    const home = dir("stdin");
    const written = await cairn(home, ["thread", "push", "--thread", "notes", "--json"], {
      input: "from a pipe\nsecond line\n",
    });
    expect(written.code).toBe(0);
    const shown = (await cairn(home, ["thread", "show", "notes", "--json"])).json<{ entries: { content: string }[] }>();
    expect(shown.entries[0]?.content).toBe("from a pipe\nsecond line");
  });

  it("refuses an empty entry and bad usage with exit 2, and asks for a login with exit 4", async () => {
    const home = dir("codes");
    const empty = await cairn(home, ["thread", "push", "--json"], { input: "   " });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("bad_request");
    expect((await cairn(home, ["thread", "push", "--no-such-flag", "x"])).code).toBe(2);
    expect((await cairn(home, ["no-such-command"])).code).toBe(2);
    const whoami = await cairn(home, ["whoami", "--json"]);
    expect(whoami.code).toBe(4);
    expect(JSON.parse(whoami.stderr)).toMatchObject({ error: { code: "not_logged_in" } });
    expect((await cairn(home, ["sync", "now"])).code).toBe(4);
  });

  it("keeps its files readable by their owner only, and tightens those an older release left open", async () => {
    const parent = dir("private");
    const home = join(parent, "home");
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(
      (await cairn(home, ["thread", "push", "--thread", "secret", "a private note", "--json"], { cwd: parent })).code,
    ).toBe(0);
    const stores = join(home, "stores");
    // The -wal and -shm files exist while a store is open; SQLite gives them the store's mode.
    const files = readdirSync(stores).filter((name) => name.endsWith(".db"));
    expect(files).toHaveLength(1);
    const modes = (paths: string[]) => Object.fromEntries(paths.map((path) => [path, mode(path)]));
    expect(modes([home, stores, ...files.map((name) => join(stores, name))])).toEqual({
      [home]: 0o700,
      [stores]: 0o700,
      ...Object.fromEntries(files.map((name) => [join(stores, name), 0o600])),
    });
    const store = join(stores, files.find((name) => name.endsWith(".db")) ?? "");
    chmodSync(store, 0o644);
    chmodSync(stores, 0o755);
    expect((await cairn(home, ["thread", "list", "--all-projects", "--json"])).code).toBe(0);
    expect([mode(store), mode(stores)]).toEqual([0o600, 0o700]);
  });

  it("refuses an entry over 100,000 bytes without writing anything", async () => {
    const home = dir("big");
    const big = await cairn(home, ["thread", "push", "--thread", "big", "--json"], { input: "x".repeat(100_001) });
    expect(big.code).toBe(2);
    expect(big.stderr).toContain("100000 bytes");
    expect((await cairn(home, ["thread", "list", "--all-projects", "--json"])).json()).toMatchObject({ total: 0 });
  });

  it("detects the project from .cairn.toml, else the git root, else the folder", async () => {
    const home = dir("detect");
    const repo = join(home, "My Repo");
    mkdirSync(join(repo, ".git"), { recursive: true });
    writeFileSync(join(repo, ".git", "HEAD"), "ref: refs/heads/feature/Parser-Fix\n");
    mkdirSync(join(repo, "src", "deep"), { recursive: true });
    const inGit = await cairn(home, ["thread", "push", "in git", "--json"], { cwd: join(repo, "src", "deep") });
    expect(inGit.json()).toMatchObject({ project: "my-repo", thread: "feature-parser-fix" });

    const init = await cairn(home, ["init", "--project", "Pinned Name", "--json"], { cwd: repo });
    expect(init.json()).toMatchObject({ project: "pinned-name", created: true });
    const pinned = await cairn(home, ["thread", "push", "pinned", "--json"], { cwd: join(repo, "src") });
    expect(pinned.json()).toMatchObject({ project: "pinned-name" });

    const plain = join(home, "Plain Folder");
    mkdirSync(plain);
    expect((await cairn(home, ["thread", "push", "plain", "--json"], { cwd: plain })).json()).toMatchObject({
      project: "plain-folder",
      thread: "main",
    });

    writeFileSync(join(repo, ".cairn.toml"), "project = [not toml");
    const broken = await cairn(home, ["thread", "push", "x"], { cwd: repo });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain(".cairn.toml is not valid TOML");
  });

  it("names a damaged store file and the fix, without a stack trace", async () => {
    const home = dir("corrupt");
    expect((await cairn(home, ["thread", "push", "before the damage"])).code).toBe(0);
    const store = join(home, "stores", "local.db");
    writeFileSync(store, Buffer.alloc(8192, 0x41));
    const result = await cairn(home, ["thread", "push", "after", "--json"]);
    expect(result.code).toBe(1);
    const body = JSON.parse(result.stderr) as { error: { code: string; message: string; hint: string } };
    expect(body.error.code).toBe("store_corrupt");
    expect(body.error.message).toContain(store);
    expect(body.error.hint).toContain("mv");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const text = await cairn(home, ["thread", "list"]);
    expect(text.stderr).toContain(store);
    expect(text.stderr).not.toMatch(/\n\s+at /);
  });

  it("names a damaged credentials file and an unknown thread, with their fixes", async () => {
    const home = dir("damaged-credentials");
    const missing = await cairn(home, ["thread", "show", "nope", "--json"]);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr)).toMatchObject({ error: { code: "not_found" } });
    writeFileSync(join(home, "credentials.json"), '{"version": 1, "server": ');
    const result = await cairn(home, ["whoami"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(join(home, "credentials.json"));
    expect(result.stderr).toContain("cairn login");
  });

  it("names a half-written store file too", async () => {
    const home = dir("half");
    for (let index = 0; index < 5; index++) {
      await cairn(home, ["thread", "push"], { input: `entry ${index} ${"padding ".repeat(10_000)}` });
    }
    const store = join(home, "stores", "local.db");
    await cairn(home, ["sync", "status"]); // checkpoints the WAL into the file
    truncateSync(store, Math.floor(statSync(store).size / 2));
    for (const file of readdirSync(join(home, "stores"))) {
      if (file.endsWith("-wal") || file.endsWith("-shm")) truncateSync(join(home, "stores", file), 0);
    }
    const result = await cairn(home, ["search", "--all-projects", "entry", "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stderr)).toMatchObject({ error: { code: "store_corrupt" } });
    expect(result.stderr).toContain(store);
  });
});

describe("cairn serve and admin", () => {
  it("creates admin once on an empty database, and stops cleanly on SIGTERM", async () => {
    const dataDir = dir("serve");
    const first = await startServer({ dataDir });
    expect(first.adminToken).toMatch(/^cairn_/);
    const me = await fetch(`${first.url}/api/me`, { headers: { authorization: `Bearer ${first.adminToken}` } });
    expect(await me.json()).toMatchObject({ user: { name: "admin" } });
    expect(await first.stop()).toBe(0);

    const second = await startServer({ dataDir });
    expect(second.adminToken).toBeNull();
    expect(await second.stop()).toBe(0);
  });

  it("says a port is in use, and how to choose another, instead of reporting a bug", async () => {
    const dataDir = dir("busy-port");
    const first = await startServer({ dataDir });
    try {
      const second = await cairn(dataDir, ["serve", "--port", String(first.port), "--data", join(dataDir, "second")]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`Port ${first.port} on 127.0.0.1 is already in use`);
      expect(second.stderr).toContain(`--port ${first.port + 1}`);
      expect(second.stderr).not.toMatch(/bug|Internal error/);
    } finally {
      await first.stop();
    }
  });

  it("adds a user on the database directly and never stores the token in clear", async () => {
    const home = dir("admin");
    const dataDir = join(home, "server");
    // No database there yet: refused, naming where it looked, unless asked to make one.
    const refused = await cairn(home, ["admin", "user", "add", "carol", "--data", dataDir, "--json"]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stderr).error).toMatchObject({
      code: "not_found",
      message: `No Cairn server database at ${join(dataDir, "cairn.db")}`,
    });
    // CAIRN_HOME alone (no --data) is the trap the refusal is for: a new, empty database in the wrong place.
    expect(
      (await cairn(home, ["admin", "user", "add", "carol", "--json"], { env: { CAIRN_HOME: join(home, "elsewhere") } }))
        .code,
    ).toBe(1);
    const result = await cairn(home, ["admin", "user", "add", "carol", "--data", dataDir, "--create", "--json"]);
    expect(result.code).toBe(0);
    const body = result.json<{ user: { id: string; name: string }; token: string; database: string }>();
    expect(body).toEqual({
      user: { id: expect.any(String), name: "carol" },
      token: expect.stringMatching(/^cairn_/),
      database: join(dataDir, "cairn.db"),
    });
    expect((await cairn(home, ["admin", "user", "add", "erin", "--data", dataDir])).stdout).toContain(
      `in ${join(dataDir, "cairn.db")}`,
    );
    const listed = (await cairn(home, ["admin", "user", "list", "--data", dataDir, "--json"])).json<{
      users: { name: string; activeTokens: number }[];
      total: number;
    }>();
    expect(listed).toMatchObject({
      total: 2,
      users: [
        { name: "carol", activeTokens: 1 },
        { name: "erin", activeTokens: 1 },
      ],
    });
    const database = readFileSync(join(dataDir, "cairn.db"));
    expect(database.includes(body.token)).toBe(false);
    const again = await cairn(home, ["admin", "user", "add", "carol", "--data", dataDir, "--json"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("conflict");
  });

  it("queues a dead job again from the terminal, and refuses one that is not dead", async () => {
    const home = dir("jobs-retry");
    const dataDir = join(home, "server");
    expect((await cairn(home, ["admin", "user", "add", "ops", "--data", dataDir, "--create"])).code).toBe(0);
    const store = new SqliteStore({ path: join(dataDir, "cairn.db") });
    await addDeadJob(store, { id: "job-cli-dead", kind: "webhook.deliver", error: "receiver gone" });
    await store.close();
    const retried = await cairn(home, ["admin", "jobs", "--retry", "job-cli-dead", "--data", dataDir]);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toContain("job-cli-dead  webhook.deliver  queued again");
    const again = await cairn(home, ["admin", "jobs", "--retry", "job-cli-dead", "--data", dataDir, "--json"]);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr).error).toMatchObject({ code: "conflict" });
  });

  it("refuses a revoked token at login with exit 4", async () => {
    const home = dir("revoke");
    const dataDir = join(home, "server");
    const server = await startServer({ dataDir });
    try {
      const dave = await addUser(home, dataDir, "dave");
      const tokens = (await cairn(home, ["admin", "token", "list", "dave", "--data", dataDir, "--json"])).json<{
        tokens: { id: string }[];
      }>();
      const [token] = tokens.tokens;
      expect(JSON.stringify(tokens)).not.toContain(dave.token);
      expect((await cairn(home, ["admin", "token", "revoke", "dave", token?.id ?? "", "--data", dataDir])).code).toBe(
        0,
      );
      const login = await cairn(home, ["login", "--server", server.url, "--json"], { input: dave.token });
      expect(login.code).toBe(4);
      expect(login.stderr).not.toContain(dave.token);
    } finally {
      await server.stop();
    }
  });
});
