import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";

/** What the web UI's memory page and safety centre read (issue 15): a memory's history, a burst restored in one call. */
describe("a memory's history and a burst's restore", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.dispose());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  async function call(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    payload?: unknown,
    token = t.alice.token,
  ) {
    const response = await t.app.inject({ method, url, headers: as(token), ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json() };
  }

  it("lists every version a memory replaced, its delete and restore, newest first and paged", async () => {
    const made = await call("POST", "/api/memories", { content: "first wording", project: "hist" });
    const id = made.body.memory.id as string;
    await call("PATCH", `/api/memories/${id}`, { content: "second wording" });
    await call("PATCH", `/api/memories/${id}`, { content: "third wording", kind: "decision" });
    await call("DELETE", `/api/memories/${id}`);
    await call("POST", `/api/memories/${id}/restore`);

    const history = await call("GET", `/api/memories/${id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.memory).toMatchObject({ id, content: "third wording", kind: "decision", deletedAt: null });
    expect(history.body.events.map((event: { action: string }) => event.action)).toEqual([
      "restore",
      "version",
      "delete",
      "version",
      "version",
      "version",
    ]);
    const replaced = history.body.events
      .filter((event: { action: string }) => event.action === "version")
      .map((event: { details: { previous: { content: string; deletedAt: string | null } } }) => [
        event.details.previous.content,
        event.details.previous.deletedAt !== null,
      ]);
    expect(replaced).toEqual([
      ["third wording", true],
      ["third wording", false],
      ["second wording", false],
      ["first wording", false],
    ]);
    expect(history.body.total).toBe(6);
    const page = await call("GET", `/api/memories/${id}/history?limit=2&offset=4`);
    expect(page.body.events.map((event: { action: string }) => event.action)).toEqual(["version", "version"]);

    // Another user's memory is not found, and the history's paging is validated.
    expect((await call("GET", `/api/memories/${id}/history`, undefined, t.bob.token)).status).toBe(404);
    expect((await call("GET", `/api/memories/${id}/history?limit=0`)).body.error.code).toBe("invalid_input");
  });

  it("restores every row of an alert's burst in one call, safely again, and only for its owner", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 11; index++) {
      ids.push(
        (await call("POST", "/api/memories", { content: `burst memory ${index}`, project: "burst" })).body.memory.id,
      );
    }
    const task = await call("POST", "/api/tasks", { title: "burst task", project: "burst" });
    for (const id of ids) await call("DELETE", `/api/memories/${id}`);
    await call("DELETE", `/api/tasks/${task.body.task.id}`);
    const [alert] = (await call("GET", "/api/alerts?open=true")).body.alerts;
    expect(alert.deletedIds).toEqual(expect.arrayContaining([...ids, task.body.task.id]));

    expect((await call("POST", `/api/alerts/${alert.id}/restore`, undefined, t.bob.token)).status).toBe(404);

    const restored = await call("POST", `/api/alerts/${alert.id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.restored).toHaveLength(12);
    expect(restored.body.restored).toContainEqual({ type: "task", id: task.body.task.id });
    // The alert also counted the first test's memory, deleted and restored since: reported missing, not restored twice.
    expect(restored.body.missing).toHaveLength(alert.deletedIds.length - 12);
    expect(restored.body.missing.filter((id: string) => ids.includes(id))).toEqual([]);
    const listed = await call("GET", "/api/memories?project=burst&limit=50");
    expect(listed.body.total).toBe(11);
    expect((await call("GET", "/api/tasks?project=burst")).body.tasks).toHaveLength(1);
    const audit = await call("GET", "/api/audit?action=restore&limit=100");
    expect(audit.body.total).toBeGreaterThanOrEqual(12);

    // Again: nothing is left in the trash to restore; every id is reported, none fails.
    const again = await call("POST", `/api/alerts/${alert.id}/restore`);
    expect(again.body).toMatchObject({ restored: [], missing: expect.arrayContaining(ids) });
    expect((await call("POST", "/api/alerts/not-an-alert/restore")).status).toBe(404);
  });
});
