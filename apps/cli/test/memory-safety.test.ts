import { closeSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  type CliResult,
  cairn,
  cleanup,
  inOrder,
  pushEntry,
  type ServerProcess,
  serverBackends,
  startServer,
  tempDir,
} from "./harness";

interface MemoryView {
  id: string;
  content: string;
  kind: string;
  project: string;
  session: string | null;
  version: string;
  deletedAt: string | null;
}

const offline = { env: { CAIRN_PUSH_DEADLINE_MS: "0" } };

function ok(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`cairn exited ${result.code}: ${result.stderr}`);
  return result;
}

async function api<T>(
  server: ServerProcess,
  token: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { "content-type": "application/json" } : {}) },
  });
  return { status: response.status, body: (await response.json()) as T };
}

describe.each(serverBackends())("memories, sessions, recovery and mass-deletion safety ($name)", (backend) => {
  const dataDir = tempDir("safety-server");
  const databaseUrl = backend.databaseUrl();
  const db = databaseUrl ? { databaseUrl } : {};
  let server: ServerProcess;
  let blocking: ServerProcess;
  let count = 0;
  const newUser = async (name: string) => await addUser(dataDir, dataDir, `${name}-${++count}`, databaseUrl);
  const login = async (home: string, target: ServerProcess, token: string) =>
    ok(await cairn(home, ["login", "--server", target.url, "--token", token]));

  beforeAll(async () => {
    server = await startServer({ dataDir, ...db });
    // A second process on the same database with the guard in block mode.
    blocking = await startServer({ dataDir, ...db, env: { CAIRN_DELETE_GUARD: "block" } });
  });
  afterAll(async () => {
    await server.stop();
    await blocking.stop();
    cleanup(dataDir);
    await backend.dispose();
  });

  it("restores a wiped machine: every row back with its project, session and version, verified, nothing pushed back", async () => {
    const user = await newUser("wiped");
    const laptop = tempDir("wiped-laptop");
    const desktop = tempDir("wiped-desktop");
    await login(laptop, server, user.token);
    await login(desktop, server, user.token);
    // 3 projects, 4 sessions, two devices.
    const sessions = [
      [laptop, "alpha"],
      [laptop, "beta"],
      [desktop, "beta"],
      [desktop, "gamma"],
    ] as const;
    for (const [home, project] of sessions) {
      ok(await cairn(home, ["session", "start", "--project", project, "--agent", "test"]));
      ok(
        await pushEntry(
          home,
          `${project}/notes`,
          `worked on ${project} from ${home === laptop ? "laptop" : "desktop"}`,
        ),
      );
      ok(
        await cairn(home, [
          "remember",
          "--project",
          project,
          "--kind",
          "decision",
          "--tags",
          project,
          `decided about ${project}`,
        ]),
      );
    }
    ok(await cairn(laptop, ["sync", "now"]));
    ok(await cairn(desktop, ["sync", "now"]));
    const before = ok(await cairn(laptop, ["memory", "list", "--all-projects", "--json"])).json<{
      memories: MemoryView[];
    }>();
    expect(before.memories).toHaveLength(4);

    rmSync(laptop, { recursive: true, force: true });
    const fresh = tempDir("wiped-laptop-again");
    await login(fresh, server, user.token);
    const dry = ok(await cairn(fresh, ["recover", "--dry-run", "--json"])).json<{ restored: Record<string, number> }>();
    expect(dry.restored).toMatchObject({ entry: 4, memory: 4, session: 4 });
    const recovered = ok(await cairn(fresh, ["recover", "--json"])).json<{
      restored: Record<string, number>;
      verified: boolean;
    }>();
    expect(recovered).toMatchObject({ verified: true, restored: { entry: 4, memory: 4, session: 4 } });

    const after = ok(await cairn(fresh, ["memory", "list", "--all-projects", "--json"])).json<{
      memories: MemoryView[];
    }>();
    const key = (memory: MemoryView) =>
      [memory.id, memory.project, memory.session, memory.version, memory.content].join("|");
    expect(after.memories.map(key).sort()).toEqual(before.memories.map(key).sort());
    const sessionsBack = ok(await cairn(fresh, ["session", "list", "--all-projects", "--json"])).json<{
      sessions: { projectId: string }[];
    }>();
    expect(sessionsBack.sessions.map((session) => session.projectId).sort()).toEqual([
      "alpha",
      "beta",
      "beta",
      "gamma",
    ]);
    const entries = ok(await cairn(fresh, ["thread", "show", "notes", "--project", "gamma", "--json"])).json<{
      entries: { content: string; sessionId: string | null; synced: boolean }[];
    }>();
    expect(entries.entries).toEqual([
      expect.objectContaining({ content: "worked on gamma from desktop", synced: true }),
    ]);
    expect(entries.entries[0]?.sessionId).toMatch(/^[0-9A-Z]{26}$/);
    // Nothing was queued to go back.
    expect(ok(await cairn(fresh, ["sync", "status", "--json"])).json()).toMatchObject({ pending: 0 });
    expect(ok(await cairn(fresh, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 0 });
    cleanup(desktop, fresh);
  });

  it("says a damaged store is damaged, sets it aside and restores it (truncated, or garbage in the middle)", async () => {
    const user = await newUser("damaged");
    const home = tempDir("damaged");
    await login(home, server, user.token);
    for (let index = 0; index < 40; index++) {
      ok(await cairn(home, ["remember", "--project", "fragile", `memory number ${index} ${"padding ".repeat(40)}`]));
    }
    const store = ok(await cairn(home, ["sync", "status", "--json"])).json<{ store: string }>().store;
    ok(await cairn(home, ["sync", "now"]));

    // Garbage over the middle half of the file (every table has pages there).
    const size = statSync(store).size;
    const fd = openSync(store, "r+");
    const garbage = Buffer.alloc(Math.floor(size / 2), 0x5a);
    writeSync(fd, garbage, 0, garbage.length, Math.floor(size / 4));
    closeSync(fd);
    const broken = await cairn(home, ["memory", "list", "--project", "fragile", "--limit", "500"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/damaged.*\[store_corrupt\]/);
    expect(broken.stderr).toMatch(/cairn recover/);
    const restored = ok(await cairn(home, ["recover", "--json"])).json<{
      verified: boolean;
      setAside: string;
      restored: Record<string, number>;
    }>();
    expect(restored.verified).toBe(true);
    expect(restored.restored.memory).toBe(40);
    expect(readFileSync(restored.setAside).length).toBe(size); // renamed, never deleted
    expect(ok(await cairn(home, ["memory", "list", "--project", "fragile", "--json"])).json()).toMatchObject({
      total: 40,
    });

    // Truncated.
    const current = ok(await cairn(home, ["sync", "status", "--json"])).json<{ store: string }>().store;
    truncateSync(current, 1000);
    const cut = await cairn(home, ["memory", "list", "--project", "fragile"]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/store_corrupt/);
    expect(ok(await cairn(home, ["recover", "--json"])).json()).toMatchObject({
      verified: true,
      restored: { memory: 40 },
    });
    cleanup(home);
  });

  it("raises one alert for 30 fast deletes; in block mode refuses the 11th, parks the rest, and lets them through after ack", async () => {
    // Warn mode: all 30 go through, one alert names them.
    const warned = await newUser("warned");
    const warnHome = tempDir("warned");
    await login(warnHome, server, warned.token);
    for (let index = 0; index < 30; index++)
      ok(await cairn(warnHome, ["remember", "--project", "bulk", `w${index}`], offline));
    ok(await cairn(warnHome, ["sync", "now"]));
    ok(await cairn(warnHome, ["memory", "forget", "--all", "--project", "bulk", "--yes"]));
    const warnAlerts = await api<{ alerts: { deleteCount: number; deletedIds: string[]; severity: string }[] }>(
      server,
      warned.token,
      "/api/alerts",
    );
    expect(warnAlerts.body.alerts).toHaveLength(1);
    expect(warnAlerts.body.alerts[0]).toMatchObject({ deleteCount: 30, severity: "warning" });
    expect(warnAlerts.body.alerts[0]?.deletedIds).toHaveLength(30);

    // Block mode (the second server process): the 11th delete is refused and the rows stay.
    const blocked = await newUser("blocked");
    const home = tempDir("blocked");
    await login(home, blocking, blocked.token);
    for (let index = 0; index < 30; index++)
      ok(await cairn(home, ["remember", "--project", "bulk", `b${index}`], offline));
    ok(await cairn(home, ["sync", "now"]));
    const ids = ok(await cairn(home, ["memory", "list", "--project", "bulk", "--json"])).json<{
      memories: MemoryView[];
    }>();
    const refusedBulk = await cairn(home, ["memory", "forget", "--all", "--project", "bulk"]);
    expect(refusedBulk.code).toBe(2); // no terminal and no --yes: nothing changed
    expect(refusedBulk.stderr).toMatch(/Would forget 30 memories/);
    ok(await cairn(home, ["memory", "forget", "--all", "--project", "bulk", "--yes"]));
    const status = ok(await cairn(home, ["sync", "status", "--json"])).json<{
      dead: number;
      problems: { code: string }[];
    }>();
    expect(status.dead).toBe(20); // parked, not dropped
    expect(status.problems.map((problem) => problem.code)).toContain("destruction_alert");
    const alerts = ok(await cairn(home, ["alerts", "list", "--json"])).json<{
      alerts: { id: string; deletedIds: string[] }[];
    }>();
    expect(alerts.alerts).toHaveLength(1);
    const applied = alerts.alerts[0]?.deletedIds ?? [];
    expect(applied).toHaveLength(10);
    const live = await api<{ total: number }>(blocking, blocked.token, "/api/memories?project=bulk");
    expect(live.body.total).toBe(20);
    // Over REST too: 423 with a clear message while the alert is open.
    const survivor = ids.memories.find((memory) => !applied.includes(memory.id))?.id ?? "";
    const direct = await api<{ error: { code: string; message: string } }>(
      blocking,
      blocked.token,
      `/api/memories/${survivor}`,
      {
        method: "DELETE",
      },
    );
    expect(direct.status).toBe(423);
    expect(direct.body.error.message).toMatch(/blocked/);

    ok(await cairn(home, ["alerts", "ack", alerts.alerts[0]?.id ?? ""]));
    const drained = ok(await cairn(home, ["sync", "now", "--json"])).json<{ dead: number; pending: number }>();
    expect(drained).toMatchObject({ dead: 0, pending: 0 });
    expect((await api<{ total: number }>(blocking, blocked.token, "/api/memories?project=bulk")).body.total).toBe(0);
    expect((await api<{ alerts: unknown[] }>(blocking, blocked.token, "/api/alerts?open=true")).body.alerts).toEqual(
      [],
    );
    const audit = ok(await cairn(home, ["audit", "--action", "alert.ack", "--json"])).json<{ total: number }>();
    expect(audit.total).toBe(1);
    cleanup(warnHome, home);
  });

  it("shows an alert raised by deletes made elsewhere after a pull, until it is acknowledged", async () => {
    const user = await newUser("watcher");
    const home = tempDir("watcher");
    await login(home, server, user.token);
    const ids: string[] = [];
    for (let index = 0; index < 12; index++) {
      const created = await api<{ memory: { id: string } }>(server, user.token, "/api/memories", {
        method: "POST",
        body: JSON.stringify({ project: "elsewhere", content: `made elsewhere ${index}` }),
      });
      ids.push(created.body.memory.id);
    }
    for (const id of ids) await api(server, user.token, `/api/memories/${id}`, { method: "DELETE" });
    // This device pushed nothing: it learns of the alert from its pull.
    expect(ok(await cairn(home, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 0 });
    const check = await cairn(home, ["sync", "status", "--check", "--json"]);
    expect(check.code).toBe(2);
    const problems = check.json<{ problems: { code: string; actual?: string }[] }>().problems;
    const [alert] = (await api<{ alerts: { id: string }[] }>(server, user.token, "/api/alerts?open=true")).body.alerts;
    expect(problems).toContainEqual(expect.objectContaining({ code: "destruction_alert", actual: alert?.id }));
    expect((await cairn(home, ["sync", "status"])).stdout).toMatch(/destruction_alert.*12 deletes/);
    await api(server, user.token, `/api/alerts/${alert?.id}/ack`, { method: "POST" });
    ok(await cairn(home, ["sync", "now"]));
    expect((await cairn(home, ["sync", "status", "--check"])).code).toBe(0);
    cleanup(home);
  });

  it("ends two offline edits of one memory on the same higher version on both devices, the loser in the audit log", async () => {
    const user = await newUser("editor");
    const first = tempDir("edit-a");
    const second = tempDir("edit-b");
    await login(first, server, user.token);
    await login(second, server, user.token);
    const { id } = ok(await cairn(first, ["remember", "--project", "shared", "the original", "--json"])).json<{
      id: string;
    }>();
    ok(await cairn(second, ["sync", "now"]));
    ok(await cairn(first, ["memory", "update", id, "edited on the first device"], offline));
    await new Promise((resolve) => setTimeout(resolve, 20));
    ok(await cairn(second, ["memory", "update", id, "edited on the second device"], offline));
    ok(await cairn(second, ["sync", "now"]));
    ok(await cairn(first, ["sync", "now"]));
    ok(await cairn(second, ["sync", "now"]));
    const shown = await inOrder(
      [first, second],
      async (home) => ok(await cairn(home, ["memory", "show", id, "--json"])).json<{ memory: MemoryView }>().memory,
    );
    expect(shown[0]?.content).toBe("edited on the second device");
    expect(shown[1]).toEqual({ ...shown[0], synced: true });
    const conflicts = ok(await cairn(first, ["audit", "--action", "conflict", "--json"])).json<{
      entries: { targetId: string; details: { loser: { content: string } } }[];
    }>();
    expect(conflicts.entries).toEqual([
      expect.objectContaining({
        targetId: id,
        details: expect.objectContaining({ loser: expect.objectContaining({ content: "edited on the first device" }) }),
      }),
    ]);
    cleanup(first, second);
  });

  it("filters lists and searches by project, session, since and until, and says where each hit came from", async () => {
    const user = await newUser("filters");
    const home = tempDir("filters");
    await login(home, server, user.token);
    const session = ok(await cairn(home, ["session", "start", "--project", "one", "--json"])).json<{
      session: { id: string };
    }>().session.id;
    ok(await cairn(home, ["remember", "--project", "one", "retry policy for project one"]));
    ok(await pushEntry(home, "one/log", "retry logged in session one"));
    ok(await cairn(home, ["session", "end", "--project", "one"]));
    // The server summarises the ended session into a `summary` memory (issue 7); wait for it, then pull it.
    let summary: { content: string } | undefined;
    for (let tries = 0; !summary && tries < 200; tries++) {
      const record = await api<{ memories: { kind: string; content: string }[] }>(
        server,
        user.token,
        `/api/sessions/${session}`,
      );
      summary = record.body.memories.find((memory) => memory.kind === "summary");
      if (!summary) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(summary?.content).toBe("retry policy for project one. retry logged in session one.");
    ok(await cairn(home, ["remember", "--project", "two", "retry policy for project two"]));
    ok(await pushEntry(home, "two/log", "retry logged later"));
    ok(await cairn(home, ["sync", "now"]));
    const entryHits = ok(
      await cairn(home, ["search", "--all-projects", "--type", "entry", "--session", session, "retry", "--json"]),
    ).json<{ hits: { project: string; session: string }[] }>();
    expect(entryHits.hits).toEqual([expect.objectContaining({ project: "one", session })]);
    // Unified: the session's entry, its memory and its summary, nothing from the other session.
    const sessionHits = ok(
      await cairn(home, ["search", "--all-projects", "--session", session, "retry", "--json"]),
    ).json<{
      hits: { type: string; project: string; session: string }[];
    }>();
    expect(sessionHits.hits.map((hit) => hit.type).sort()).toEqual(["entry", "memory", "memory"]);
    expect(sessionHits.hits.every((hit) => hit.project === "one" && hit.session === session)).toBe(true);
    const threads = ok(await cairn(home, ["thread", "list", "--all-projects", "--session", session, "--json"])).json<{
      threads: { projectId: string }[];
    }>();
    expect(threads.threads.map((thread) => thread.projectId)).toEqual(["one"]);
    expect(
      ok(await cairn(home, ["thread", "list", "--all-projects", "--until", "2020-01-01", "--json"])).json(),
    ).toMatchObject({ total: 0 });
    const all = ok(await cairn(home, ["memory", "search", "--all-projects", "retry", "--json"])).json<{
      hits: { project: string; session: string }[];
    }>();
    expect(all.hits.map((hit) => hit.project).sort()).toEqual(["one", "one", "two"]);
    const inSession = ok(await cairn(home, ["memory", "list", "--all-projects", "--session", session, "--json"])).json<{
      memories: MemoryView[];
    }>();
    expect(inSession.memories.map((memory) => `${memory.project}:${memory.kind}`).sort()).toEqual([
      "one:note",
      "one:summary",
    ]);
    expect(ok(await cairn(home, ["memory", "list", "--project", "two", "--json"])).json()).toMatchObject({ total: 1 });
    expect(ok(await cairn(home, ["memory", "list", "--all-projects", "--since", "1h", "--json"])).json()).toMatchObject(
      {
        total: 3,
      },
    );
    expect(
      ok(await cairn(home, ["memory", "list", "--all-projects", "--until", "2020-01-01", "--json"])).json(),
    ).toMatchObject({ total: 0 });
    const bad = await cairn(home, ["memory", "list", "--since", "last tuesday"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a time/);
    const last = ok(await cairn(home, ["session", "last", "--project", "one", "--json"])).json<{
      memories: MemoryView[];
    }>();
    expect(last.memories.map((memory) => memory.content).sort()).toEqual([
      "retry policy for project one",
      "retry policy for project one. retry logged in session one.",
    ]);
    const record = await api<{ session: { id: string }; memories: unknown[] }>(
      server,
      user.token,
      `/api/sessions/${session}`,
    );
    expect(record.status).toBe(200);
    expect(record.body.memories).toHaveLength(2);
    cleanup(home);
  });
});
