import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serverMcp } from "@cairn/agent/mcp/server-mcp";
import { userScopes } from "@cairn/core/user-scope";
import { createTestApp, type TestApp } from "@cairn/server/test-app";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A tool result's JSON, read loosely: each test asserts the fields it needs. */
// biome-ignore lint/suspicious/noExplicitAny: the shape differs per tool, and the assertions check it.
type ToolBody = Record<string, any>;

import { localMcpServer } from "../src/mcp/stdio-mcp";
import { cairn, cleanup, tempDir, testContext } from "./harness";

async function connected(server: McpServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(clientSide);
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  const result = await client.callTool({ name, arguments: args });
  const [first] = result.content as { type: string; text: string }[];
  return { isError: Boolean(result.isError), body: JSON.parse(first?.text ?? "null") as ToolBody };
}

/**
 * One MCP server for both transports: `cairn mcp` (stdio, on the local store) and `/mcp` (HTTP,
 * the token's user) are built from one list of tool definitions; only the context differs.
 * Both run here on the SDK's linked in-memory transports.
 */
describe("MCP over stdio and over HTTP", () => {
  const home = tempDir("mcp-parity");
  const project = join(home, "work");
  const here = { cwd: project, env: { CAIRN_AUTHOR: "ada" } };
  let app: TestApp;
  let local: Client;
  let remote: Client;
  let closeLocal: () => Promise<void>;

  beforeAll(async () => {
    app = await createTestApp();
    const oracle = {
      scopes: userScopes(app.deps),
      model: null,
      oracle: { budgetTokens: 2_000, timeoutMs: 5_000, retries: 0 },
    };
    remote = await connected(
      serverMcp({ McpServer }, { scopes: oracle.scopes, oracle }, { id: app.alice.id, name: "alice" }),
    );
    mkdirSync(project);
    writeFileSync(join(project, ".cairn.toml"), 'project = "parity"\n');
    const { context } = testContext(home, { cwd: project, env: { CAIRN_AUTHOR: "ada", CAIRN_AGENT: "claude-code" } });
    const built = await localMcpServer({ McpServer }, context);
    closeLocal = built.close;
    local = await connected(built.server);
  });
  afterAll(async () => {
    await local.close();
    await remote.close();
    await closeLocal();
    await app.dispose();
    cleanup(home);
  });

  it("serve the same tool definitions, the machine adding only its sync tools", async () => {
    const [stdio, http] = [(await local.listTools()).tools, (await remote.listTools()).tools];
    const byName = new Map(http.map((tool) => [tool.name, tool]));
    const onlyLocal = stdio.filter((tool) => !byName.has(tool.name)).map((tool) => tool.name);
    expect(onlyLocal.sort()).toEqual(["get_sync_status", "pause_sync", "resume_sync", "sync_now"]);
    for (const tool of stdio.filter((each) => byName.has(each.name))) {
      expect(tool, tool.name).toEqual(byName.get(tool.name));
    }
    expect(stdio.length - onlyLocal.length).toBe(http.length);
  });

  it("tags what an agent writes on this machine with the project's session and the author rule", async () => {
    const pushed = await call(local, "thread_push", { content: "wired the parser", thread: "work" });
    expect(pushed.body).toMatchObject({ project: "parity", thread: "work", synced: false });
    const remembered = await call(local, "remember", { content: "The parser is hand-written" });
    expect(remembered.body.memory).toMatchObject({ project: "parity" });
    // The command line writes into the same session, with the same author.
    expect((await cairn(home, ["thread", "push", "--thread", "work", "by hand", "--json"], here)).code).toBe(0);
    const shown = (await cairn(home, ["thread", "show", "work", "--project", "parity", "--json"], here)).json<{
      entries: { content: string; author: string; sessionId: string | null }[];
    }>();
    expect(shown.entries.map((entry) => [entry.content, entry.author])).toEqual([
      ["wired the parser", "ada"],
      ["by hand", "ada"],
    ]);
    const sessions = new Set(shown.entries.map((entry) => entry.sessionId));
    expect(sessions.size).toBe(1);
    const memory = (await cairn(home, ["memory", "show", remembered.body.memory.id, "--json"], here)).json<{
      memory: { session: string | null };
    }>();
    expect(memory.memory.session).toBe([...sessions][0]);
    const session = (await cairn(home, ["session", "show", memory.memory.session ?? "", "--json"], here)).json<{
      session: { agent: string };
    }>();
    expect(session.session.agent).toBe("claude-code");
  });

  it("keeps the local store open across calls, and a session started over MCP is the one the CLI ends", async () => {
    const started = await call(local, "session_start", {});
    expect(started.body.session).toMatchObject({ project: "parity", agent: "claude-code" });
    const ended = (await cairn(home, ["session", "end", "--json"], here)).json<{ session: { id: string } }>();
    expect(ended.session.id).toBe(started.body.session.id);
    expect(await call(local, "session_end", {})).toMatchObject({
      isError: true,
      body: { error: { code: "not_found" } },
    });
  });
});
