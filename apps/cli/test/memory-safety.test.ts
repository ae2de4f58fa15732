import { closeSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  type CliResult,
  cairn,
  cleanup,
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
  const newUser = (name: string) => addUser(dataDir, dataDir, `${name}-${++count}`, databaseUrl);
  const login = (home: string, target: ServerProcess, token: string) =>
    ok(cairn(home, ["login", "--server", target.url, "--token", token]));

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
    const user = newUser("wiped");
    const laptop = tempDir("wiped-laptop");
    const desktop = tempDir("wiped-desktop");
    login(laptop, server, user.token);
    login(desktop, server, user.token);
    // 3 projects, 4 sessions, two devices.
    const sessions = [
      [laptop, "alpha"],
      [laptop, "beta"],
      [desktop, "beta"],
      [desktop, "gamma"],
    ] as const;
    for (const [home, project] of sessions) {
      ok(cairn(home, ["session", "start", "--project", project, "--agent", "test"]));
      ok(pushEntry(home, `${project}/notes`, `worked on ${project} from ${home === laptop ? "laptop" : "desktop"}`));
      ok(
        cairn(home, [
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
    ok(cairn(laptop, ["sync", "now"]));
    ok(cairn(desktop, ["sync", "now"]));
    const before = ok(cairn(laptop, ["memory", "list", "--all-projects", "--json"])).json<{ memories: MemoryView[] }>();
    expect(before.memories).toHaveLength(4);

    rmSync(laptop, { recursive: true, force: true });
    const fresh = tempDir("wiped-laptop-again");
    login(fresh, server, user.token);
    const dry = ok(cairn(fresh, ["recover", "--dry-run", "--json"])).json<{ restored: Record<string, number> }>();
    expect(dry.restored).toMatchObject({ entry: 4, memory: 4, session: 4 });
    const recovered = ok(cairn(fresh, ["recover", "--json"])).json<{
      restored: Record<string, number>;
      verified: boolean;
    }>();
    expect(recovered).toMatchObject({ verified: true, restored: { entry: 4, memory: 4, session: 4 } });

    const after = ok(cairn(fresh, ["memory", "list", "--all-projects", "--json"])).json<{ memories: MemoryView[] }>();
    const key = (memory: MemoryView) =>
      [memory.id, memory.project, memory.session, memory.version, memory.content].join("|");
    expect(after.memories.map(key).sort()).toEqual(before.memories.map(key).sort());
    const sessionsBack = ok(cairn(fresh, ["session", "list", "--all-projects", "--json"])).json<{
      sessions: { projectId: string }[];
    }>();
    expect(sessionsBack.sessions.map((session) => session.projectId).sort()).toEqual([
      "alpha",
      "beta",
      "beta",
      "gamma",
    ]);
    const entries = ok(cairn(fresh, ["thread", "show", "notes", "--project", "gamma", "--json"])).json<{
      entries: { content: string; sessionId: string | null; synced: boolean }[];
    }>();
    expect(entries.entries).toEqual([
      expect.objectContaining({ content: "worked on gamma from desktop", synced: true }),
    ]);
    expect(entries.entries[0]?.sessionId).toMatch(/^[0-9A-Z]{26}$/);
    // Nothing was queued to go back.
    expect(ok(cairn(fresh, ["sync", "status", "--json"])).json()).toMatchObject({ pending: 0 });
    expect(ok(cairn(fresh, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 0 });
    cleanup(desktop, fresh);
  });

  it("says a damaged store is damaged, sets it aside and restores it (truncated, or garbage in the middle)", async () => {
    const user = newUser("damaged");
    const home = tempDir("damaged");
    login(home, server, user.token);
    for (let index = 0; index < 40; index++) {
      ok(cairn(home, ["remember", "--project", "fragile", `memory number ${index} ${"padding ".repeat(40)}`]));
    }
    const store = ok(cairn(home, ["sync", "status", "--json"])).json<{ store: string }>().store;
    ok(cairn(home, ["sync", "now"]));

    // Garbage over the middle half of the file (every table has pages there).
    const size = statSync(store).size;
    const fd = openSync(store, "r+");
    const garbage = Buffer.alloc(Math.floor(size / 2), 0x5a);
    writeSync(fd, garbage, 0, garbage.length, Math.floor(size / 4));
    closeSync(fd);
    const broken = cairn(home, ["memory", "list", "--project", "fragile", "--limit", "500"]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/damaged.*\[store_corrupt\]/);
    expect(broken.stderr).toMatch(/cairn recover/);
    const restored = ok(cairn(home, ["recover", "--json"])).json<{
      verified: boolean;
      setAside: string;
      restored: Record<string, number>;
    }>();
    expect(restored.verified).toBe(true);
    expect(restored.restored.memory).toBe(40);
    expect(readFileSync(restored.setAside).length).toBe(size); // renamed, never deleted
    expect(ok(cairn(home, ["memory", "list", "--project", "fragile", "--json"])).json()).toMatchObject({ total: 40 });

    // Truncated.
    const current = ok(cairn(home, ["sync", "status", "--json"])).json<{ store: string }>().store;
    truncateSync(current, 1000);
    const cut = cairn(home, ["memory", "list", "--project", "fragile"]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/store_corrupt/);
    expect(ok(cairn(home, ["recover", "--json"])).json()).toMatchObject({ verified: true, restored: { memory: 40 } });
    cleanup(home);
  });

  it("raises one alert for 30 fast deletes; in block mode refuses the 11th, parks the rest, and lets them through after ack", async () => {
    // Warn mode: all 30 go through, one alert names them.
    const warned = newUser("warned");
    const warnHome = tempDir("warned");
    login(warnHome, server, warned.token);
    for (let index = 0; index < 30; index++)
      ok(cairn(warnHome, ["remember", "--project", "bulk", `w${index}`], offline));
    ok(cairn(warnHome, ["sync", "now"]));
    ok(cairn(warnHome, ["memory", "forget", "--all", "--project", "bulk", "--yes"]));
    const warnAlerts = await api<{ alerts: { deleteCount: number; deletedIds: string[]; severity: string }[] }>(
      server,
      warned.token,
      "/api/alerts",
    );
    expect(warnAlerts.body.alerts).toHaveLength(1);
    expect(warnAlerts.body.alerts[0]).toMatchObject({ deleteCount: 30, severity: "warning" });
    expect(warnAlerts.body.alerts[0]?.deletedIds).toHaveLength(30);

    // Block mode (the second server process): the 11th delete is refused and the rows stay.
    const blocked = newUser("blocked");
    const home = tempDir("blocked");
    login(home, blocking, blocked.token);
    for (let index = 0; index < 30; index++) ok(cairn(home, ["remember", "--project", "bulk", `b${index}`], offline));
    ok(cairn(home, ["sync", "now"]));
    const ids = ok(cairn(home, ["memory", "list", "--project", "bulk", "--json"])).json<{ memories: MemoryView[] }>();
    const refusedBulk = cairn(home, ["memory", "forget", "--all", "--project", "bulk"]);
    expect(refusedBulk.code).toBe(2); // no terminal and no --yes: nothing changed
    expect(refusedBulk.stderr).toMatch(/Would forget 30 memories/);
    ok(cairn(home, ["memory", "forget", "--all", "--project", "bulk", "--yes"]));
    const status = ok(cairn(home, ["sync", "status", "--json"])).json<{ dead: number; problems: { code: string }[] }>();
    expect(status.dead).toBe(20); // parked, not dropped
    expect(status.problems.map((problem) => problem.code)).toContain("destruction_alert");
    const alerts = ok(cairn(home, ["alerts", "list", "--json"])).json<{
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

    ok(cairn(home, ["alerts", "ack", alerts.alerts[0]?.id ?? ""]));
    const drained = ok(cairn(home, ["sync", "now", "--json"])).json<{ dead: number; pending: number }>();
    expect(drained).toMatchObject({ dead: 0, pending: 0 });
    expect((await api<{ total: number }>(blocking, blocked.token, "/api/memories?project=bulk")).body.total).toBe(0);
    expect((await api<{ alerts: unknown[] }>(blocking, blocked.token, "/api/alerts?open=true")).body.alerts).toEqual(
      [],
    );
    const audit = ok(cairn(home, ["audit", "--action", "alert.ack", "--json"])).json<{ total: number }>();
    expect(audit.total).toBe(1);
    cleanup(warnHome, home);
  });

  it("shows an alert raised by deletes made elsewhere after a pull, until it is acknowledged", async () => {
    const user = newUser("watcher");
    const home = tempDir("watcher");
    login(home, server, user.token);
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
    expect(ok(cairn(home, ["sync", "now", "--json"])).json()).toMatchObject({ pushed: 0 });
    const check = cairn(home, ["sync", "status", "--check", "--json"]);
    expect(check.code).toBe(2);
    const problems = check.json<{ problems: { code: string; actual?: string }[] }>().problems;
    const [alert] = (await api<{ alerts: { id: string }[] }>(server, user.token, "/api/alerts?open=true")).body.alerts;
    expect(problems).toContainEqual(expect.objectContaining({ code: "destruction_alert", actual: alert?.id }));
    expect(cairn(home, ["sync", "status"]).stdout).toMatch(/destruction_alert.*12 deletes/);
    await api(server, user.token, `/api/alerts/${alert?.id}/ack`, { method: "POST" });
    ok(cairn(home, ["sync", "now"]));
    expect(cairn(home, ["sync", "status", "--check"]).code).toBe(0);
    cleanup(home);
  });

  it("ends two offline edits of one memory on the same higher version on both devices, the loser in the audit log", async () => {
    const user = newUser("editor");
    const first = tempDir("edit-a");
    const second = tempDir("edit-b");
    login(first, server, user.token);
    login(second, server, user.token);
    const { id } = ok(cairn(first, ["remember", "--project", "shared", "the original", "--json"])).json<{
      id: string;
    }>();
    ok(cairn(second, ["sync", "now"]));
    ok(cairn(first, ["memory", "update", id, "edited on the first device"], offline));
    await new Promise((resolve) => setTimeout(resolve, 20));
    ok(cairn(second, ["memory", "update", id, "edited on the second device"], offline));
    ok(cairn(second, ["sync", "now"]));
    ok(cairn(first, ["sync", "now"]));
    ok(cairn(second, ["sync", "now"]));
    const shown = [first, second].map(
      (home) => ok(cairn(home, ["memory", "show", id, "--json"])).json<{ memory: MemoryView }>().memory,
    );
    expect(shown[0]?.content).toBe("edited on the second device");
    expect(shown[1]).toEqual({ ...shown[0], synced: true });
    const conflicts = ok(cairn(first, ["audit", "--action", "conflict", "--json"])).json<{
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
    const user = newUser("filters");
    const home = tempDir("filters");
    login(home, server, user.token);
    const session = ok(cairn(home, ["session", "start", "--project", "one", "--json"])).json<{
      session: { id: string };
    }>().session.id;
    ok(cairn(home, ["remember", "--project", "one", "retry policy for project one"]));
    ok(pushEntry(home, "one/log", "retry logged in session one"));
    ok(cairn(home, ["session", "end", "--project", "one"]));
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
    ok(cairn(home, ["remember", "--project", "two", "retry policy for project two"]));
    ok(pushEntry(home, "two/log", "retry logged later"));
    ok(cairn(home, ["sync", "now"]));
    const entryHits = ok(
      cairn(home, ["search", "--all-projects", "--type", "entry", "--session", session, "retry", "--json"]),
    ).json<{ hits: { project: string; session: string }[] }>();
    expect(entryHits.hits).toEqual([expect.objectContaining({ project: "one", session })]);
    // Unified: the session's entry, its memory and its summary, nothing from the other session.
    const sessionHits = ok(cairn(home, ["search", "--all-projects", "--session", session, "retry", "--json"])).json<{
      hits: { type: string; project: string; session: string }[];
    }>();
    expect(sessionHits.hits.map((hit) => hit.type).sort()).toEqual(["entry", "memory", "memory"]);
    expect(sessionHits.hits.every((hit) => hit.project === "one" && hit.session === session)).toBe(true);
    const threads = ok(cairn(home, ["thread", "list", "--all-projects", "--session", session, "--json"])).json<{
      threads: { projectId: string }[];
    }>();
    expect(threads.threads.map((thread) => thread.projectId)).toEqual(["one"]);
    expect(
      ok(cairn(home, ["thread", "list", "--all-projects", "--until", "2020-01-01", "--json"])).json(),
    ).toMatchObject({ total: 0 });
    const all = ok(cairn(home, ["memory", "search", "--all-projects", "retry", "--json"])).json<{
      hits: { project: string; session: string }[];
    }>();
    expect(all.hits.map((hit) => hit.project).sort()).toEqual(["one", "one", "two"]);
    const inSession = ok(cairn(home, ["memory", "list", "--all-projects", "--session", session, "--json"])).json<{
      memories: MemoryView[];
    }>();
    expect(inSession.memories.map((memory) => `${memory.project}:${memory.kind}`).sort()).toEqual([
      "one:note",
      "one:summary",
    ]);
    expect(ok(cairn(home, ["memory", "list", "--project", "two", "--json"])).json()).toMatchObject({ total: 1 });
    expect(ok(cairn(home, ["memory", "list", "--all-projects", "--since", "1h", "--json"])).json()).toMatchObject({
      total: 3,
    });
    expect(
      ok(cairn(home, ["memory", "list", "--all-projects", "--until", "2020-01-01", "--json"])).json(),
    ).toMatchObject({ total: 0 });
    const bad = cairn(home, ["memory", "list", "--since", "last tuesday"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/not a time/);
    const last = ok(cairn(home, ["session", "last", "--project", "one", "--json"])).json<{ memories: MemoryView[] }>();
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
