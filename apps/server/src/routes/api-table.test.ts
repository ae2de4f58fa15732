import { api } from "@cairn/core/wire/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";

/** The API table (core/wire/api.ts) is what the server serves: every endpoint has its route, parsed by its schemas. */
describe("the API table and the server", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.dispose());
  const auth = () => ({ authorization: `Bearer ${t.alice.token}` });

  it("has a route for every endpoint of the table", () => {
    const missing = Object.entries(api)
      .filter(([, endpoint]) => !t.app.hasRoute({ method: endpoint.method, url: endpoint.path }))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });

  it("answers a query, path or body its schema refuses with 422 naming the field, before the handler runs", async () => {
    const query = await t.app.inject({ url: "/api/tasks?limit=0", headers: auth() });
    expect(query.statusCode).toBe(422);
    expect(query.json().error.details.fields).toEqual([expect.objectContaining({ path: "limit" })]);
    const body = await t.app.inject({ method: "POST", url: "/api/tasks", headers: auth(), payload: { title: 42 } });
    expect(body.statusCode).toBe(422);
    expect(body.json().error.details.fields).toEqual([expect.objectContaining({ path: "title" })]);
    const alerts = await t.app.inject({ url: "/api/alerts?open=false", headers: auth() });
    expect(alerts.statusCode).toBe(200);
  });

  it("answers with the status the table gives, in the shape its output schema reads", async () => {
    const created = await t.app.inject({
      method: "POST",
      url: api.addTask.path,
      headers: auth(),
      payload: { title: "Read the table" },
    });
    expect(created.statusCode).toBe(api.addTask.status);
    expect(api.addTask.output.safeParse(created.json()).success).toBe(true);
    const listed = await t.app.inject({ url: api.listTasks.path, headers: auth() });
    expect(api.listTasks.output.parse(listed.json()).tasks.map((task) => task.title)).toEqual(["Read the table"]);
    const ready = await t.app.inject({ url: api.ready.path });
    expect(api.ready.output.safeParse(ready.json()).success).toBe(true);
  });
});
