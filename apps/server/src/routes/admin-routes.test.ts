import { addDeadJob } from "@cairn/store/testing/dead-job";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";

/** The server's jobs over HTTP (the web UI's Jobs page): administrators only, and a dead job retried. */
describe("administration over HTTP", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { options: { adminUsers: "ops, alice" } });
  });
  afterAll(() => t.dispose());

  const as = (token: string) => ({ authorization: `Bearer ${token}` });

  it("shows the job table to an administrator and says so in /api/me", async () => {
    await addDeadJob(t.deps.store, {
      id: "job-dead-1",
      kind: "webhook.delivery",
      userId: t.bob.id,
      error: "receiver answered 410 Gone",
    });
    const me = await t.app.inject({ url: "/api/me", headers: as(t.alice.token) });
    expect(me.json()).toMatchObject({ user: { name: "alice" }, admin: true });
    const page = await t.app.inject({ url: "/api/admin/jobs?status=dead", headers: as(t.alice.token) });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({
      summary: { dead: 1, deadByKind: { "webhook.delivery": 1 } },
      total: 1,
      jobs: [{ id: "job-dead-1", status: "dead", lastError: "receiver answered 410 Gone", attempts: 1 }],
    });
  });

  it("refuses everyone else with 403, and says they are not an administrator", async () => {
    const me = await t.app.inject({ url: "/api/me", headers: as(t.bob.token) });
    expect(me.json()).toMatchObject({ admin: false });
    for (const request of [
      { method: "GET" as const, url: "/api/admin/jobs" },
      { method: "POST" as const, url: "/api/admin/jobs/job-dead-1/retry" },
    ]) {
      const refused = await t.app.inject({ ...request, headers: as(t.bob.token) });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error).toMatchObject({ code: "forbidden" });
    }
    expect((await t.deps.store.system.getJob("job-dead-1"))?.status).toBe("dead");
  });

  it("queues a dead job again, and refuses to retry one that is not dead", async () => {
    const retried = await t.app.inject({
      method: "POST",
      url: "/api/admin/jobs/job-dead-1/retry",
      headers: as(t.alice.token),
    });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().job).toMatchObject({ id: "job-dead-1", status: "queued", attempts: 0 });
    const again = await t.app.inject({
      method: "POST",
      url: "/api/admin/jobs/job-dead-1/retry",
      headers: as(t.alice.token),
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain("queued");
    const missing = await t.app.inject({
      method: "POST",
      url: "/api/admin/jobs/job-nope/retry",
      headers: as(t.alice.token),
    });
    expect(missing.statusCode).toBe(404);
  });
});
