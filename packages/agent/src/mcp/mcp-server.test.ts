import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/** A tool result's JSON, read loosely: each test asserts the fields it needs. */
// biome-ignore lint/suspicious/noExplicitAny: the shape differs per tool, and the assertions check it.
type ToolBody = Record<string, any>;

import { serverToolContext } from "../server-tool-context";
import { type AgentStore, openAgentStore } from "../testing/agent-store";
import { mcpTools } from "../tools/registry";
import { buildMcpServer, fixedContext } from "./mcp-server";

/** The MCP server on the server side (the tools `/mcp` serves), over the SDK's linked in-memory transports. */
describe("the MCP server with the server's tool context", () => {
  let t: AgentStore;
  let client: Client;
  const internal: unknown[] = [];

  beforeAll(async () => {
    t = await openAgentStore("mcp-user");
    const oracle = { scopes: t.scopes, model: null, oracle: { budgetTokens: 2_000, timeoutMs: 5_000, retries: 0 } };
    const context = serverToolContext(
      { scopes: t.scopes, oracle },
      { userId: t.user.id, actor: "mcp-user (MCP)", conversation: null },
    );
    const server = buildMcpServer({ McpServer }, fixedContext(context), mcpTools, (error) => internal.push(error));
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    client = new Client({ name: "test", version: "1.0.0" });
    await client.connect(clientSide);
  });
  afterAll(async () => {
    await client.close();
    await t.dispose();
  });

  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await client.callTool({ name, arguments: args });
    const [first] = result.content as { type: string; text: string }[];
    return { isError: Boolean(result.isError), body: JSON.parse(first?.text ?? "null") as ToolBody };
  };

  it("serves every tool of the registry, with its annotations", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(mcpTools.map((tool) => tool.name));
    const forget = tools.find((tool) => tool.name === "forget");
    expect(forget?.annotations).toMatchObject({ destructiveHint: true, readOnlyHint: false });
  });

  it("pushes entries to a thread, reads them back and lists the thread, the user as author", async () => {
    const pushed = await call("thread_push", { content: "chose SQLite for the default store", thread: "Design" });
    expect(pushed.isError).toBe(false);
    expect(pushed.body).toMatchObject({ thread: "design", project: "personal", session: null });
    await call("thread_push", { content: "and PostgreSQL beyond one machine", thread: "design" });
    const read = await call("thread_read", { thread: "design" });
    expect(
      read.body.entries.map((entry: { content: string; author: string }) => [entry.content, entry.author]),
    ).toEqual([
      ["chose SQLite for the default store", "mcp-user (MCP)"],
      ["and PostgreSQL beyond one machine", "mcp-user (MCP)"],
    ]);
    const listed = await call("thread_list", {});
    expect(listed.body.threads).toEqual([expect.objectContaining({ id: "design", entryCount: 2 })]);
  });

  it("starts a session, finds it as the project's current one, and ends it", async () => {
    const started = await call("session_start", { project: "alpha", agent: "claude-code" });
    expect(started.body.session).toMatchObject({ project: "alpha", agent: "claude-code" });
    const ended = await call("session_end", { project: "alpha", summary: "done" });
    expect(ended.body.session).toMatchObject({ id: started.body.session.id });
    expect(ended.body.session.endedAt).not.toBeNull();
    const again = await call("session_end", { project: "alpha" });
    expect(again).toMatchObject({ isError: true, body: { error: { code: "not_found" } } });
  });

  it("remembers and forgets a memory, and answers from memory with the oracle", async () => {
    const remembered = await call("remember", { content: "The staging database lives on port 6543" });
    const id = remembered.body.memory.id as string;
    const answer = await call("ask_oracle", { question: "Which port does the staging database use?" });
    expect(answer.body.abstained).toBe(false);
    expect(answer.body.citations.map((citation: { ref: string }) => citation.ref)).toContain(`memory:${id}`);
    const forgotten = await call("forget", { id });
    expect(forgotten.body).toMatchObject({ status: "forgotten", id });
    const after = await call("ask_oracle", { question: "Which port does the staging database use?" });
    expect(after.body.abstained).toBe(true);
  });

  it("reports destruction alerts and what a recovery would bring back, but restores nothing remotely", async () => {
    expect((await call("check_destruction", {})).body).toMatchObject({ alerts: [], total: 0 });
    const dryRun = await call("bootstrap_recovery", {});
    expect(dryRun.isError).toBe(false);
    expect(dryRun.body.counts).toMatchObject({ thread: 1, entry: 2 });
    const restore = await call("bootstrap_recovery", { dry_run: false });
    expect(restore).toMatchObject({ isError: true, body: { error: { code: "bad_request" } } });
  });

  it("answers a bad call with an error result, and never a bug's details", async () => {
    const missing = await call("get_task", { task: "no such task anywhere" });
    expect(missing).toMatchObject({ isError: true, body: { error: { code: "not_found" } } });
    expect(internal).toEqual([]);
  });
});
