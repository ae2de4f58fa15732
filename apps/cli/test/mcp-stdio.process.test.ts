import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addUser, cairnBin, cairnProcess, cleanup, type ServerProcess, startServer, tempDir } from "./harness";

function body(result: Awaited<ReturnType<Client["callTool"]>>): Record<string, unknown> {
  const [first] = result.content as { type: string; text: string }[];
  return JSON.parse(first?.text ?? "null") as Record<string, unknown>;
}

describe("cairn mcp over stdio", () => {
  const dir = tempDir("mcp-stdio");
  let server: ServerProcess;
  let token: string;
  let client: Client;
  beforeAll(async () => {
    server = await startServer({ dataDir: `${dir}/data` });
    token = (await addUser(dir, `${dir}/data`, "agent")).token;
    expect(cairnProcess(dir, ["login", "--server", server.url, "--token", token]).code).toBe(0);
    client = new Client({ name: "test", version: "1.0.0" });
    const env: Record<string, string> = { CAIRN_HOME: dir, PATH: process.env.PATH ?? "" };
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [cairnBin, "mcp"], cwd: dir, env }),
    );
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
    cleanup(dir);
  });

  it("lists the registry's tools and the local ones", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(
      [
        "acknowledge_destruction_alert",
        "ask_oracle",
        "add_task",
        "bootstrap_recovery",
        "check_destruction",
        "complete_task",
        "delete_task",
        "forget",
        "get_sync_status",
        "get_task",
        "list_tasks",
        "open_citation",
        "pause_sync",
        "remember",
        "resume_sync",
        "search",
        "search_memory",
        "session_end",
        "session_start",
        "sync_now",
        "thread_list",
        "thread_push",
        "thread_read",
        "update_task",
      ].sort(),
    );
  });

  it("writes through the local store and the outbox, like the CLI", async () => {
    const pushed = body(
      await client.callTool({ name: "thread_push", arguments: { content: "decided: retry 3 times", thread: "notes" } }),
    );
    expect(pushed).toMatchObject({ thread: "notes", synced: true });
    const added = body(await client.callTool({ name: "add_task", arguments: { title: "from the agent" } }));
    expect(added).toMatchObject({ status: "added", task: { title: "from the agent" } });

    // The CLI sees both in the same local store, and the server has them.
    const local = cairnProcess(dir, ["task", "list", "--all-projects", "--json"]).json<{
      tasks: { title: string }[];
    }>();
    expect(local.tasks.map((task) => task.title)).toContain("from the agent");
    const remote = await fetch(`${server.url}/api/tasks`, { headers: { authorization: `Bearer ${token}` } });
    expect(JSON.stringify(await remote.json())).toContain("from the agent");

    const read = body(await client.callTool({ name: "thread_read", arguments: { thread: "notes" } }));
    expect(JSON.stringify(read)).toContain("decided: retry 3 times");
    const found = body(await client.callTool({ name: "search_memory", arguments: { query: "retry" } }));
    expect(found).toMatchObject({ total: 1, hits: [{ type: "entry" }] });
    const unified = body(await client.callTool({ name: "search", arguments: { query: "agent retry" } }));
    expect((unified.hits as { type: string }[]).map((hit) => hit.type).sort()).toEqual(["entry", "task"]);
    const oracle = body(
      await client.callTool({ name: "ask_oracle", arguments: { question: "how many retry times?" } }),
    );
    expect(oracle).toMatchObject({ abstained: false, citations: [{ ref: expect.stringMatching(/^thread:notes#/) }] });
    // The citation opens in the local store: one entry, whole.
    const ref = (oracle.citations as { ref: string }[])[0]?.ref;
    const opened = body(await client.callTool({ name: "open_citation", arguments: { ref } }));
    expect(opened).toMatchObject({ type: "entry", ref, entry: { content: "decided: retry 3 times" } });
    const synced = body(await client.callTool({ name: "sync_now", arguments: {} }));
    expect(synced).toMatchObject({ pending: 0, dead: 0 });
  });

  it("starts and ends sessions, pauses and resumes sync, and forgets a memory, like the CLI", async () => {
    const started = body(await client.callTool({ name: "session_start", arguments: { agent: "claude-code" } }));
    const sessionId = (started.session as { id: string }).id;
    const remembered = body(
      await client.callTool({ name: "remember", arguments: { content: "port 8787 is the API" } }),
    );
    const memoryId = (remembered.memory as { id: string }).id;
    const current = cairnProcess(dir, ["session", "current", "--json"]).json<{ session: { id: string } | null }>();
    expect(current.session?.id).toBe(sessionId);

    expect(body(await client.callTool({ name: "pause_sync", arguments: {} }))).toEqual({
      paused: true,
      tokens: expect.any(Number),
    });
    expect(body(await client.callTool({ name: "get_sync_status", arguments: {} }))).toMatchObject({ paused: true });
    const forgotten = body(await client.callTool({ name: "forget", arguments: { id: memoryId } }));
    expect(forgotten).toMatchObject({ status: "forgotten", synced: false }); // paused: queued, not sent
    expect(body(await client.callTool({ name: "resume_sync", arguments: {} }))).toMatchObject({ paused: false });
    expect(body(await client.callTool({ name: "sync_now", arguments: {} }))).toMatchObject({ pending: 0 });
    const onServer = await fetch(`${server.url}/api/memories/${memoryId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await onServer.json()) as { memory: { deletedAt: string | null } }).memory.deletedAt).not.toBeNull();

    const ended = body(await client.callTool({ name: "session_end", arguments: { summary: "done for today" } }));
    expect(ended).toMatchObject({ session: { id: sessionId } });
    expect(cairnProcess(dir, ["session", "current", "--json"]).json<{ session: unknown }>().session).toBeNull();
  });

  it("checks destruction alerts and runs a recovery dry run without writing", async () => {
    expect(body(await client.callTool({ name: "check_destruction", arguments: {} }))).toMatchObject({
      alerts: [],
      total: 0,
    });
    const dry = body(await client.callTool({ name: "bootstrap_recovery", arguments: {} }));
    expect(dry).toMatchObject({ dryRun: true, verified: false });
    expect((dry.restored as Record<string, number>).task).toBeGreaterThan(0);
    const missing = await client.callTool({
      name: "acknowledge_destruction_alert",
      arguments: { id: "no-such-alert" },
    });
    expect(missing.isError).toBe(true);
    expect(body(missing)).toMatchObject({ error: { code: "not_found" } });
  });

  it("answers a failing tool with a readable error result", async () => {
    const failed = await client.callTool({ name: "thread_read", arguments: { thread: "no-such-thread" } });
    expect(failed.isError).toBe(true);
    expect(body(failed)).toMatchObject({ error: { code: "not_found" } });
  });
});
