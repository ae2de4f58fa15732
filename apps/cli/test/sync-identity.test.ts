import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  cairn,
  cairnAsync,
  cleanup,
  inOrder,
  pushEntry,
  type ServerProcess,
  serverBackends,
  serverThread,
  startServer,
  tempDir,
} from "./harness";

const offline = { env: { CAIRN_PUSH_DEADLINE_MS: "0" } };

interface Status {
  scope: string;
  store: string;
  pending: number;
  dead: number;
  problems: { code: string; field?: string; expected?: string; actual?: string }[];
}

async function status(home: string): Promise<Status> {
  return (await cairn(home, ["sync", "status", "--json"])).json<Status>();
}

function codes(problems: { code: string }[]): string[] {
  return problems.map((problem) => problem.code);
}

describe.each(serverBackends())("identity scopes, adoption and refusals ($name)", (backend) => {
  const dataDir = tempDir("identity-server");
  const databaseUrl = backend.databaseUrl();
  let server: ServerProcess;
  let count = 0;
  /** A fresh user on the server and a fresh CLI home logged in as them. */
  const newUser = async (name: string) => {
    count += 1;
    return await addUser(dataDir, dataDir, `${name}-${count}`, databaseUrl);
  };

  beforeAll(async () => {
    server = await startServer({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
  });
  afterAll(async () => {
    await server.stop();
    cleanup(dataDir);
    await backend.dispose();
  });

  it("adopts rows written before login exactly once, also after a crash half-way", async () => {
    const home = tempDir("adopt");
    const ids = await inOrder(
      ["one", "two", "three"],
      async (text) => (await pushEntry(home, "adopt/early", text)).json<{ id: string }>().id,
    );
    const before = await cairn(home, ["sync", "status", "--check", "--json"]);
    expect(before.code).toBe(2);
    expect(codes(before.json<Status>().problems)).toContain("not_logged_in");

    const alice = await newUser("adopter");
    expect((await cairn(home, ["login", "--server", server.url, "--token", alice.token])).code).toBe(0);
    const check = await cairn(home, ["sync", "status", "--check", "--json"]);
    expect(check.code).toBe(2);
    expect(codes(check.json<Status>().problems)).toEqual(["unadopted_local_rows"]);

    // Killed after the account's store committed the copies, before the local scope was cleared.
    const interrupted = await cairn(home, ["sync", "adopt", "--json"], {
      env: { CAIRN_TEST_CRASH_AT: "client.adopt.copied" },
    });
    expect(interrupted.signal).toBe("SIGKILL");
    expect((await status(home)).pending).toBe(3);
    expect(codes((await status(home)).problems)).toContain("unadopted_local_rows");

    const resumed = await cairn(home, ["sync", "adopt", "--json"]);
    expect(resumed.json()).toEqual({ adopted: 0, alreadyAdopted: 3 });
    expect((await cairn(home, ["sync", "adopt", "--json"])).json()).toEqual({ adopted: 0, alreadyAdopted: 0 });
    expect((await cairn(home, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 3, pending: 0, dead: 0 });
    const onServer = await serverThread(server.url, alice.token, "early", "adopt");
    expect(onServer.entries.map((entry) => entry.id).sort()).toEqual([...ids].sort());
    expect((await cairn(home, ["sync", "status", "--check"])).code).toBe(0);
    cleanup(home);
  });

  it("keeps the old account's queue on a switch and never sends it with the new token", async () => {
    const home = tempDir("switch");
    const alice = await newUser("alice");
    const bob = await newUser("bob");
    expect((await cairn(home, ["login", "--server", server.url, "--token", alice.token])).code).toBe(0);
    const aliceScope = (await status(home)).scope;
    const queued = await inOrder(
      ["a1", "a2"],
      async (text) => (await pushEntry(home, "switch/work", text, offline)).json<{ id: string }>().id,
    );

    const login = await cairn(home, ["login", "--server", server.url, "--token", bob.token, "--json"]);
    expect(login.json()).toMatchObject({ previous: { user: { id: alice.id } } });
    const asBob = await status(home);
    expect(asBob.pending).toBe(0);
    expect(asBob.problems).toContainEqual(expect.objectContaining({ code: "other_scope_pending", actual: aliceScope }));
    expect((await cairn(home, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 0 });
    expect((await pushEntry(home, "switch/work", "b1")).json()).toMatchObject({ synced: true });

    // Nothing of Alice's went anywhere while Bob was logged in.
    expect((await serverThread(server.url, alice.token, "work", "switch")).total).toBe(0);
    const bobs = await serverThread(server.url, bob.token, "work", "switch");
    expect(bobs.entries.map((entry) => entry.content)).toEqual(["b1"]);

    expect((await cairn(home, ["login", "--server", server.url, "--token", alice.token])).code).toBe(0);
    expect((await cairn(home, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 2, pending: 0 });
    const alices = await serverThread(server.url, alice.token, "work", "switch");
    expect(alices.entries.map((entry) => entry.id).sort()).toEqual([...queued].sort());
    expect((await serverThread(server.url, bob.token, "work", "switch")).total).toBe(1);
    cleanup(home);
  });

  it("refuses to push a store that belongs to another account (exit 2, the field named)", async () => {
    const home = tempDir("misrouted");
    const alice = await newUser("owner");
    const bob = await newUser("intruder");
    expect((await cairn(home, ["login", "--server", server.url, "--token", alice.token])).code).toBe(0);
    await pushEntry(home, "misrouted/x", "alice's secret", offline);
    const aliceStore = (await status(home)).store;
    expect((await cairn(home, ["login", "--server", server.url, "--token", bob.token])).code).toBe(0);
    const bobStore = (await status(home)).store;
    // Alice's file lands where Bob's store lives (a restore from backup, a copied home directory).
    copyFileSync(aliceStore, bobStore);

    const refused = await cairn(home, ["sync", "now", "--json"]);
    expect(refused.code).toBe(2);
    const body = JSON.parse(refused.stderr) as { error: { code: string }; problems: Status["problems"] };
    expect(body.error.code).toBe("preflight_refused");
    expect(body.problems).toContainEqual(
      expect.objectContaining({ code: "store_identity_mismatch", field: "user", expected: bob.id, actual: alice.id }),
    );
    const text = await cairn(home, ["sync", "now"]);
    expect(text.code).toBe(2);
    expect(text.stderr.trim().split("\n").length).toBeLessThanOrEqual(25);
    expect(text.stderr).toMatch(/store_identity_mismatch/);
    // A write still commits locally (exit 0), and its inline push sends nothing.
    expect((await pushEntry(home, "misrouted/x", "bob writes")).code).toBe(0);
    expect((await serverThread(server.url, bob.token, "x", "misrouted")).total).toBe(0);
    expect((await serverThread(server.url, alice.token, "x", "misrouted")).total).toBe(0);
    cleanup(home);
  });

  it("stops on a revoked login with exit 4, keeps every row, and drains after a new login", async () => {
    const home = tempDir("revoked");
    const carol = await newUser("carol");
    const where = databaseUrl ? ["--database-url", databaseUrl] : ["--data", dataDir];
    expect((await cairn(home, ["login", "--server", server.url, "--token", carol.token])).code).toBe(0);
    for (const text of ["r1", "r2", "r3"]) await pushEntry(home, "revoked/t", text, offline);
    const name = (await cairn(home, ["whoami", "--json"])).json<{ user: { name: string } }>().user.name;
    const tokens = (await cairn(home, ["admin", "token", "list", name, ...where, "--json"])).json<{
      tokens: { id: string }[];
    }>();
    for (const token of tokens.tokens) {
      expect((await cairn(home, ["admin", "token", "revoke", name, token.id, ...where])).code).toBe(0);
    }

    const refused = await cairn(home, ["sync", "now"]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/log ?in/i);
    const after = await status(home);
    expect(after.pending).toBe(3);
    expect(codes(after.problems)).toContain("login_rejected");
    const queue = (await cairn(home, ["sync", "queue", "--json"])).json<{
      queue: { attempts: number; state: string }[];
    }>();
    expect(queue.queue.every((row) => row.attempts === 0 && row.state === "pending")).toBe(true);
    // Writes go on queueing; none tries the refused token again.
    const lastErrorAt = (await cairn(home, ["sync", "status", "--json"])).json<{ lastErrorAt: string }>().lastErrorAt;
    expect((await pushEntry(home, "revoked/t", "r4")).json()).toMatchObject({ synced: false });
    expect((await cairn(home, ["sync", "status", "--json"])).json()).toMatchObject({ lastErrorAt });

    const fresh = (await cairn(home, ["admin", "token", "add", name, ...where, "--json"])).json<{ token: string }>();
    expect((await cairn(home, ["login", "--server", server.url, "--token", fresh.token])).code).toBe(0);
    expect((await cairn(home, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 4, pending: 0 });
    const onServer = await serverThread(server.url, fresh.token, "t", "revoked");
    expect(onServer.entries.map((entry) => entry.content).sort()).toEqual(["r1", "r2", "r3", "r4"]);
    cleanup(home);
  });

  it("parks a poison row dead with the server's reason and sends the rows behind it", async () => {
    const home = tempDir("poison");
    const dave = await newUser("dave");
    expect((await cairn(home, ["login", "--server", server.url, "--token", dave.token])).code).toBe(0);
    await pushEntry(home, "poison/t", "before", offline);
    const db = new Database((await status(home)).store);
    db.prepare(
      "INSERT INTO outbox (op, args, entity_id, client_time, bytes) VALUES ('entry.append', ?, 'poison', ?, 10)",
    ).run(JSON.stringify({ id: "poison", projectId: "poison", threadId: "t", content: "" }), new Date().toISOString());
    db.close();
    await pushEntry(home, "poison/t", "after", offline);

    expect((await cairn(home, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 2, pending: 0, dead: 1 });
    const queue = (await cairn(home, ["sync", "queue", "--json"])).json<{
      queue: { state: string; lastError: string }[];
    }>();
    expect(queue.queue).toEqual([
      expect.objectContaining({ state: "dead", lastError: expect.stringMatching(/invalid_input/) }),
    ]);
    const onServer = await serverThread(server.url, dave.token, "t", "poison");
    expect(onServer.entries.map((entry) => entry.content)).toEqual(["before", "after"]);
    expect(codes((await status(home)).problems)).toContain("dead_rows");
    expect((await cairn(home, ["sync", "retry", "--json"])).json()).toEqual({ rearmed: 1 });
    expect((await cairn(home, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 0, pending: 0, dead: 1 });
    cleanup(home);
  });

  it("fails a write past the queue cap and drops nothing already queued", async () => {
    const home = tempDir("cap");
    const erin = await newUser("erin");
    expect((await cairn(home, ["login", "--server", server.url, "--token", erin.token])).code).toBe(0);
    const capped = { env: { CAIRN_PUSH_DEADLINE_MS: "0", CAIRN_QUEUE_CAP: "3" } };
    for (const text of ["c1", "c2", "c3"]) expect((await pushEntry(home, "cap/t", text, capped)).code).toBe(0);
    const over = await pushEntry(home, "cap/t", "c4", capped);
    expect(over.code).toBe(1);
    expect(over.stderr).toMatch(/queue_full/);
    expect((await status(home)).pending).toBe(3);
    expect((await cairn(home, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 3, pending: 0 });
    expect((await pushEntry(home, "cap/t", "c4", capped)).code).toBe(0);
    cleanup(home);
  });

  it("lets one drainer at a time send a scope's rows, across processes", async () => {
    const home = tempDir("one-drainer");
    const fay = await newUser("fay");
    expect((await cairn(home, ["login", "--server", server.url, "--token", fay.token])).code).toBe(0);
    const rows = 40;
    for (let index = 0; index < rows; index++) await pushEntry(home, "drainers/t", `row ${index}`, offline);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        cairnAsync(home, ["sync", "now", "--json"], { env: { CAIRN_PUSH_DEADLINE_MS: "0" } }),
      ),
    );
    expect(results.map((result) => result.code)).toEqual([0, 0, 0, 0]);
    // A row sent by two drainers would be counted by both (applied, then duplicate).
    const pushed = results.map((result) => result.json<{ pushed: number }>().pushed);
    expect(pushed.reduce((sum, value) => sum + value, 0)).toBe(rows);
    expect((await serverThread(server.url, fay.token, "t", "drainers")).total).toBe(rows);
    cleanup(home);
  });

  it("reports orphaned daemon records and stale locks; doctor --fix clears them, killing nothing", async () => {
    const home = tempDir("doctor");
    const gus = await newUser("gus");
    expect((await cairn(home, ["login", "--server", server.url, "--token", gus.token])).code).toBe(0);
    const { scope, store } = await status(home);
    mkdirSync(join(home, "daemons"), { recursive: true });
    const recordPath = join(home, "daemons", `${scope}.json`);
    const deadPid = 2 ** 22 + 17; // above Linux's default pid_max: never a live process
    writeFileSync(
      recordPath,
      JSON.stringify({
        format: 1,
        pid: deadPid,
        startedAt: new Date().toISOString(),
        version: "0.0.1",
        executable: { node: process.execPath, script: "/nowhere/cairn.cjs" },
        server: server.url,
        user: { id: gus.id, name: "gus" },
        scope,
        storePath: store,
        port: 1,
        wakeToken: "x".repeat(64),
      }),
    );
    const db = new Database(store);
    db.prepare(
      "INSERT INTO drain_lock (id, holder, pid, role, acquired_at, lease_until) VALUES (1, 'ghost', ?, 'sync-now', ?, ?)",
    ).run(deadPid, new Date().toISOString(), new Date(Date.now() + 3_600_000).toISOString());
    db.close();

    const check = await cairn(home, ["sync", "status", "--check", "--json"]);
    expect(check.code).toBe(2);
    expect(check.json<Status>().problems).toContainEqual(
      expect.objectContaining({ code: "daemon_orphaned", field: "pid", actual: String(deadPid) }),
    );
    const doctor = (await cairn(home, ["doctor", "--json"])).json<{ findings: { code: string; fixed?: boolean }[] }>();
    expect(codes(doctor.findings).sort()).toEqual(["daemon_orphaned", "stale_lock"]);
    expect(existsSync(recordPath)).toBe(true);

    const fixed = (await cairn(home, ["doctor", "--fix", "--json"])).json<{
      findings: { code: string; fixed?: boolean }[];
    }>();
    expect(fixed.findings.every((finding) => finding.fixed === true)).toBe(true);
    expect(existsSync(recordPath)).toBe(false);
    expect((await cairn(home, ["doctor", "--json"])).json()).toMatchObject({ findings: [] });
    expect((await cairn(home, ["sync", "status", "--check"])).code).toBe(0);
    cleanup(home);
  });
});
