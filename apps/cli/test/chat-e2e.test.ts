import { randomBytes } from "node:crypto";
import { type FakeOpenAI, ruleBasedReply, startFakeOpenAI } from "@cairn/agent/chat/testing/fake-openai";
import { testPgDisabled } from "@cairn/store/postgres/test-database";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  cairn,
  cairnAsync,
  cleanup,
  pushEntry,
  type ServerProcess,
  serverBackends,
  startServer,
  tempDir,
} from "./harness";

const redisUrl = process.env.CAIRN_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

async function chat(server: ServerProcess, token: string, payload: Record<string, unknown>) {
  const response = await fetch(`${server.url}/api/chat`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("chat and tasks end to end (offline model, SQLite)", () => {
  const dir = tempDir("chat-e2e");
  let server: ServerProcess;
  let token: string;
  beforeAll(async () => {
    server = await startServer({ dataDir: `${dir}/data` });
    token = (await addUser(dir, `${dir}/data`, "chatter")).token;
    expect((await cairn(dir, ["login", "--server", server.url, "--token", token])).code).toBe(0);
  });
  afterAll(async () => {
    await server.stop();
    cleanup(dir);
  });

  it("cairn chat runs a turn, shows its tool calls, and the agent's task reaches the local store by pull", async () => {
    const said = await cairnAsync(dir, ["chat", "add buy groceries tomorrow"]);
    expect(said.code).toBe(0);
    expect(said.stderr).toContain('→ add_task {"title":"buy groceries","due":"tomorrow"}');
    expect(said.stdout).toContain('Added "buy groceries');

    const json = (await cairnAsync(dir, ["chat", "--json", "what's on my list?"])).json<{
      conversation_id: string;
      tool_calls: { tool_name: string; result: { total: number } }[];
    }>();
    expect(json.tool_calls).toMatchObject([{ tool_name: "list_tasks", result: { total: 1 } }]);
    const resumed = (
      await cairnAsync(dir, ["chat", "--json", "--conversation", json.conversation_id, "who are you"])
    ).json<{
      conversation_id: string;
      assistant_message: string;
    }>();
    expect(resumed.conversation_id).toBe(json.conversation_id);
    expect(resumed.assistant_message).toContain("built-in offline assistant");

    // The agent's task is in this machine's store already: the turn pulled it (no `sync now`).
    const local = (await cairnAsync(dir, ["task", "list", "--json"])).json<{
      tasks: { title: string; status: string }[];
    }>();
    expect(local.tasks).toMatchObject([{ title: "buy groceries", status: "pending" }]);
  });

  it("confirms a delete from the command line: one-shot chats continue the project's conversation", async () => {
    const asked = await cairnAsync(dir, ["chat", "--new", "delete buy groceries"]);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toContain("This would delete 1 task:\n1. buy groceries");
    const conversation = /conversation (\S+):/.exec(asked.stderr)?.[1];
    expect(conversation).toMatch(/^[0-9A-Z]{26}$/);
    const yes = await cairnAsync(dir, ["chat", "--json", "yes"]);
    expect(yes.code).toBe(0);
    expect(yes.json()).toMatchObject({
      conversation_id: conversation,
      assistant_message: expect.stringContaining("Deleted 1 task"),
      tool_calls: [{ tool_name: "delete_task", success: true }],
    });
    // Gone here too, without a sync.
    expect((await cairnAsync(dir, ["task", "list", "--json"])).json<{ tasks: unknown[] }>().tasks).toEqual([]);
    // --new starts elsewhere: there, nothing waits for a yes.
    const fresh = await cairnAsync(dir, ["chat", "--new", "--json", "yes"]);
    expect(fresh.json<{ conversation_id: string; assistant_message: string }>()).toMatchObject({
      assistant_message: "Nothing is waiting for your confirmation.",
    });
    expect(fresh.json<{ conversation_id: string }>().conversation_id).not.toBe(conversation);
  });

  it("never says a tool did what it did not, and exits 1 when it failed", async () => {
    const failed = await cairnAsync(dir, ["chat", "complete the unicorn grooming"]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain("That didn't work");
    expect(failed.stdout).not.toMatch(/Done|Marked/);
    expect(failed.stderr).toContain("complete_task failed");
  });

  it("cairn ask answers from memory with citations, and abstains on what it does not hold", async () => {
    expect((await pushEntry(dir, "infra/decisions", "We chose PostgreSQL 16 for the ledger database.")).code).toBe(0);
    const asked = (await cairnAsync(dir, ["ask", "--json", "which database did we choose for the ledger?"])).json<{
      answer: string;
      citations: { ref: string }[];
      abstained: boolean;
    }>();
    expect(asked.abstained).toBe(false);
    expect(asked.answer).toContain("PostgreSQL 16");
    expect(asked.citations).toEqual([expect.objectContaining({ ref: expect.stringMatching(/^thread:decisions#/) })]);
    // The citation names one entry by its whole id: `cairn show` opens it, locally and on the server.
    const ref = asked.citations[0]?.ref ?? "";
    const shown = await cairnAsync(dir, ["show", ref]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("We chose PostgreSQL 16 for the ledger database.");
    expect(shown.stdout).toContain("infra/decisions");
    const remote = (await cairnAsync(dir, ["show", "--remote", "--json", ref])).json<{ entry: { id: string } }>();
    expect(`thread:decisions#${remote.entry.id}`).toBe(ref);
    const missing = await cairnAsync(dir, ["show", "thread:decisions#NOSUCHENTRY"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("No entry");
    const text = await cairnAsync(dir, ["ask", "what is the office wifi password?"]);
    expect(text.stdout.trim()).toBe("Memory holds nothing about that.");
  });

  it("cairn task writes sync to the server, and back", async () => {
    const added = (await cairnAsync(dir, ["task", "add", "--project", "home", "fix", "the", "sink", "--json"])).json<{
      id: string;
      synced: boolean;
    }>();
    expect(added.synced).toBe(true);
    expect((await cairnAsync(dir, ["task", "done", "sink", "--json"])).json()).toMatchObject({
      status: "done",
      synced: true,
    });
    const remote = await fetch(`${server.url}/api/tasks/${added.id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await remote.json()).toMatchObject({ task: { title: "fix the sink", status: "done", projectId: "home" } });
    expect((await cairnAsync(dir, ["task", "rm", added.id, "--json"])).code).toBe(0);
    const gone = (await cairnAsync(dir, ["task", "list", "--all-projects", "--status", "all", "--json"])).json<{
      tasks: { id: string }[];
    }>();
    expect(gone.tasks.map((task) => task.id)).not.toContain(added.id);
    const ambiguous = await cairnAsync(dir, ["task", "add", "--personal", "call", "mum", "--json"]);
    expect(ambiguous.code).toBe(0);
    await cairnAsync(dir, ["task", "add", "--personal", "call", "the", "bank", "--json"]);
    const which = await cairnAsync(dir, ["task", "done", "call", "--json"]);
    expect(which.code).toBe(1);
    expect(which.stderr).toContain("2 tasks match");
  });
});

describe("a conversation survives a server restart (the model gets the whole history)", () => {
  const dir = tempDir("chat-restart");
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI(ruleBasedReply);
  });
  afterAll(async () => {
    await fake.close();
    cleanup(dir);
  });

  it("continues after SIGKILL in a new process", async () => {
    const env = {
      CAIRN_CHAT_PROVIDER: "openai-compatible",
      CAIRN_CHAT_BASE_URL: fake.url,
      CAIRN_CHAT_MODEL: "fake-model",
      CAIRN_CHAT_API_KEY: "test-key",
    };
    const first = await startServer({ dataDir: `${dir}/data`, env });
    const user = await addUser(dir, `${dir}/data`, "restart");
    const turn1 = await chat(first, user.token, { message: "add water the plants" });
    expect(turn1.status).toBe(200);
    await first.kill();

    const second = await startServer({ dataDir: `${dir}/data`, env });
    try {
      const before = fake.requests.length;
      const turn2 = await chat(second, user.token, { message: "list", conversation_id: turn1.body.conversation_id });
      expect(turn2.status).toBe(200);
      expect(turn2.body.tool_calls).toMatchObject([{ tool_name: "list_tasks", result: { total: 1 } }]);
      const seen = fake.requests[before]?.messages ?? [];
      expect(seen.map((message) => message.role)).toEqual(["system", "user", "assistant", "tool", "assistant", "user"]);
      expect(seen[1]?.content).toBe("add water the plants");
      expect(seen[2]?.tool_calls?.[0]?.function.name).toBe("add_task");
    } finally {
      await second.stop();
    }
  });
});

describe.skipIf(testPgDisabled())("two server processes on one PostgreSQL database", () => {
  const backend = serverBackends().find((each) => each.name === "postgres");
  const dir = tempDir("chat-two");
  const servers: ServerProcess[] = [];
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await startFakeOpenAI(ruleBasedReply);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await fake.close();
    await backend?.dispose();
    cleanup(dir);
  });

  it("serve alternate turns of one conversation, each with the full history", async () => {
    const databaseUrl = backend?.databaseUrl() ?? "";
    const env = {
      CAIRN_CHAT_PROVIDER: "openai-compatible",
      CAIRN_CHAT_BASE_URL: fake.url,
      CAIRN_CHAT_MODEL: "fake-model",
      CAIRN_CHAT_API_KEY: "test-key",
    };
    servers.push(await startServer({ dataDir: dir, databaseUrl, env }));
    servers.push(await startServer({ dataDir: dir, databaseUrl, env }));
    const user = await addUser(dir, dir, "alternate", databaseUrl);
    let conversation: unknown;
    const said = ["add one", "add two", "add three", "list"];
    for (const [index, message] of said.entries()) {
      const before = fake.requests.length;
      const server = servers[index % 2] as ServerProcess;
      const response = await chat(server, user.token, {
        message,
        ...(conversation ? { conversation_id: conversation } : {}),
      });
      expect(response.status).toBe(200);
      conversation = response.body.conversation_id;
      const users = (fake.requests[before]?.messages ?? []).filter((entry) => entry.role === "user");
      expect(users.map((entry) => entry.content)).toEqual(said.slice(0, index + 1));
    }
    const messages = await fetch(`${servers[0]?.url}/api/conversations/${String(conversation)}/messages?limit=100`, {
      headers: { authorization: `Bearer ${user.token}` },
    });
    const body = (await messages.json()) as { total: number; messages: { seq: number }[] };
    expect(body.total).toBe(16);
    expect(body.messages.map((entry) => entry.seq)).toEqual(Array.from({ length: 16 }, (_, index) => index + 1));
  });

  it("share one chat rate limit through Redis", async () => {
    const databaseUrl = backend?.databaseUrl() ?? "";
    // A namespace of this run's own would need a server option; a fresh user gives fresh keys instead.
    const env = { CAIRN_REDIS_URL: redisUrl, CAIRN_CHAT_PER_MINUTE: "4" };
    const limited = [
      await startServer({ dataDir: dir, databaseUrl, env }),
      await startServer({ dataDir: dir, databaseUrl, env }),
    ];
    servers.push(...limited);
    const user = await addUser(dir, dir, `limited-${randomBytes(4).toString("hex")}`, databaseUrl);
    const statuses: number[] = [];
    for (let index = 0; index < 6; index++) {
      const response = await chat(limited[index % 2] as ServerProcess, user.token, { message: "help" });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(response.body).toMatchObject({ error: { code: "rate_limited" } });
      }
    }
    // Four in all, whichever process took them: each process alone would have allowed all six.
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    const ready = await fetch(`${limited[0]?.url}/readyz`);
    expect(await ready.json()).toMatchObject({ rateLimits: "redis" });
    const redis = new Redis(redisUrl);
    try {
      const keys = await redis.keys(`cairn-rate:*${user.id}*`);
      expect(keys.length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });
});
