import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";

let t: TestApp;
let base: URL;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.listen({ host: "127.0.0.1", port: 0 });
  const address = t.app.server.address();
  base = new URL(`http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/mcp`);
});
afterAll(async () => t.dispose());

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(base, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

function body(result: Awaited<ReturnType<Client["callTool"]>>): Record<string, unknown> {
  const [first] = result.content as { type: string; text: string }[];
  return JSON.parse(first?.text ?? "null") as Record<string, unknown>;
}

describe("MCP over Streamable HTTP at /mcp", () => {
  it("lists the tools with their schemas and annotations", async () => {
    const client = await connect(t.alice.token);
    const { tools } = await client.listTools();
    const shape = tools.map((tool) => ({
      name: tool.name,
      readOnly: tool.annotations?.readOnlyHint,
      destructive: tool.annotations?.destructiveHint,
      inputs: Object.keys((tool.inputSchema as { properties?: object }).properties ?? {}).sort(),
    }));
    expect(shape).toMatchInlineSnapshot(`
      [
        {
          "destructive": false,
          "inputs": [
            "description",
            "due",
            "priority",
            "project",
            "title",
          ],
          "name": "add_task",
          "readOnly": false,
        },
        {
          "destructive": false,
          "inputs": [
            "completed_since",
            "completed_until",
            "due",
            "limit",
            "priority",
            "project",
            "status",
            "title",
          ],
          "name": "list_tasks",
          "readOnly": true,
        },
        {
          "destructive": false,
          "inputs": [
            "task",
          ],
          "name": "get_task",
          "readOnly": true,
        },
        {
          "destructive": false,
          "inputs": [
            "description",
            "due",
            "new_title",
            "postpone_by",
            "priority",
            "status",
            "task",
          ],
          "name": "update_task",
          "readOnly": false,
        },
        {
          "destructive": false,
          "inputs": [
            "confirmation_id",
            "filter",
            "task",
          ],
          "name": "complete_task",
          "readOnly": false,
        },
        {
          "destructive": true,
          "inputs": [
            "confirmation_id",
            "filter",
            "task",
          ],
          "name": "delete_task",
          "readOnly": false,
        },
        {
          "destructive": false,
          "inputs": [
            "limit",
            "project",
            "query",
          ],
          "name": "search_memory",
          "readOnly": true,
        },
        {
          "destructive": false,
          "inputs": [
            "content",
            "kind",
            "project",
            "tags",
          ],
          "name": "remember",
          "readOnly": false,
        },
        {
          "destructive": false,
          "inputs": [
            "project",
            "question",
          ],
          "name": "ask_oracle",
          "readOnly": true,
        },
        {
          "destructive": false,
          "inputs": [
            "cursor",
            "limit",
            "project",
            "query",
            "session",
            "since",
            "type",
            "until",
          ],
          "name": "search",
          "readOnly": true,
        },
        {
          "destructive": true,
          "inputs": [
            "id",
          ],
          "name": "forget",
          "readOnly": false,
        },
        {
          "destructive": false,
          "inputs": [
            "content",
            "project",
            "thread",
          ],
          "name": "thread_push",
          "readOnly": false,
        },
        {
          "destructive": false,
          "inputs": [
            "limit",
            "offset",
            "project",
            "thread",
          ],
          "name": "thread_read",
          "readOnly": true,
        },
        {
          "destructive": false,
          "inputs": [
            "all_projects",
            "limit",
            "offset",
            "project",
          ],
          "name": "thread_list",
          "readOnly": true,
        },
        {
          "destructive": false,
          "inputs": [
            "ref",
          ],
          "name": "open_citation",
          "readOnly": true,
        },
        {
          "destructive": false,
          "inputs": [
            "agent",
            "project",
          ],
          "name": "session_start",
          "readOnly": false,
        },
        {
          "destructive": false,
          "inputs": [
            "id",
            "project",
            "summary",
          ],
          "name": "session_end",
          "readOnly": false,
        },
        {
          "destructive": false,
          "inputs": [
            "all",
          ],
          "name": "check_destruction",
          "readOnly": true,
        },
        {
          "destructive": true,
          "inputs": [
            "id",
          ],
          "name": "acknowledge_destruction_alert",
          "readOnly": false,
        },
        {
          "destructive": false,
          "inputs": [
            "dry_run",
            "project",
            "since",
          ],
          "name": "bootstrap_recovery",
          "readOnly": false,
        },
      ]
    `);
    expect(tools.every((tool) => (tool.description ?? "").length > 20)).toBe(true);
    await client.close();
  });

  it("serves two users at once without either seeing the other's results", async () => {
    const [alice, bob] = await Promise.all([connect(t.alice.token), connect(t.bob.token)]);
    await Promise.all([
      ...Array.from({ length: 5 }, (_, index) =>
        alice.callTool({ name: "add_task", arguments: { title: `alice ${index}` } }),
      ),
      ...Array.from({ length: 5 }, (_, index) =>
        bob.callTool({ name: "add_task", arguments: { title: `bob ${index}` } }),
      ),
    ]);
    const [aliceList, bobList] = await Promise.all([
      alice.callTool({ name: "list_tasks", arguments: { status: "all" } }),
      bob.callTool({ name: "list_tasks", arguments: { status: "all" } }),
    ]);
    const titles = (result: Awaited<ReturnType<Client["callTool"]>>) =>
      (body(result).tasks as { title: string }[]).map((task) => task.title).sort();
    expect(titles(aliceList)).toEqual(["alice 0", "alice 1", "alice 2", "alice 3", "alice 4"]);
    expect(titles(bobList)).toEqual(["bob 0", "bob 1", "bob 2", "bob 3", "bob 4"]);
    expect(body(aliceList).tokens).toBeGreaterThan(0);
    await Promise.all([alice.close(), bob.close()]);
  });

  it("answers a failing tool with an error result the model can read, and asks before deleting", async () => {
    const client = await connect(t.alice.token);
    const missing = await client.callTool({ name: "get_task", arguments: { task: "no such thing" } });
    expect(missing.isError).toBe(true);
    expect(body(missing)).toMatchObject({ error: { code: "not_found", message: 'No task matches "no such thing"' } });
    const invalid = await client.callTool({ name: "add_task", arguments: { title: "x".repeat(300) } });
    expect(invalid.isError).toBe(true);
    const ask = await client.callTool({ name: "delete_task", arguments: { task: "alice 0" } });
    const asked = body(ask);
    expect(asked).toMatchObject({ status: "needs_confirmation", would_change: [{ title: "alice 0" }] });
    const done = await client.callTool({ name: "delete_task", arguments: { confirmation_id: asked.confirmation_id } });
    expect(body(done)).toMatchObject({ status: "deleted", count: 1 });
    await client.close();
  });

  it("refuses a request without a valid token", async () => {
    const response = await fetch(base, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "unauthenticated" } });
  });
});
