import { APICallError } from "@ai-sdk/provider";
import {
  call,
  refuse,
  type ScriptedModel,
  say,
  scriptedModel,
  toolResults,
} from "@cairn/agent/chat/testing/scripted-model";
import type { ChatMessage } from "@cairn/core/chat/chat-entities";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";

let t: TestApp;
let model: ScriptedModel;

beforeAll(async () => {
  model = scriptedModel();
  t = await createTestApp({}, { chatModel: model, options: { chatMaxSteps: 3, chatTimeoutMs: 1_000 } });
});
afterAll(async () => t.dispose());
afterEach(() => {
  expect(model.remaining(), "every scripted step was used").toBe(0);
});

const auth = (token = t.alice.token) => ({ authorization: `Bearer ${token}` });

async function chat(payload: Record<string, unknown>, token?: string) {
  const response = await t.app.inject({ method: "POST", url: "/api/chat", headers: auth(token), payload });
  return { status: response.statusCode, body: response.json() as Record<string, unknown>, headers: response.headers };
}

async function messages(conversationId: string, token?: string): Promise<ChatMessage[]> {
  const response = await t.app.inject({
    method: "GET",
    url: `/api/conversations/${conversationId}/messages?limit=500`,
    headers: auth(token),
  });
  expect(response.statusCode).toBe(200);
  return (response.json() as { messages: ChatMessage[] }).messages;
}

async function tasks(query = "") {
  const response = await t.app.inject({ method: "GET", url: `/api/tasks?limit=500${query}`, headers: auth() });
  return (response.json() as { tasks: { id: string; title: string; status: string }[] }).tasks;
}

/** No tool call without its result and no result without its call. */
function expectNoOrphans(rows: ChatMessage[]) {
  const calls = rows.flatMap((row) => (row.toolCalls ?? []).map((callRow) => callRow.id));
  const results = rows.filter((row) => row.role === "tool").map((row) => row.toolCallId);
  expect(new Set(calls)).toEqual(new Set(results));
}

describe("chat with a scripted model", () => {
  it("creates, lists, updates and completes tasks through tools, storing every message as a row", async () => {
    model.push(
      call({ name: "add_task", input: { title: "buy groceries", due: "today" } }),
      say("Added buy groceries."),
    );
    const first = await chat({ message: "add buy groceries to my list" });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      assistant_message: "Added buy groceries.",
      tool_calls: [
        {
          tool_name: "add_task",
          parameters: { title: "buy groceries", due: "today" },
          success: true,
          result: { status: "added", task: { title: "buy groceries", status: "pending" } },
        },
      ],
    });
    const conversation = String(first.body.conversation_id);
    expect((await tasks()).map((task) => task.title)).toContain("buy groceries");

    model.push(call({ name: "list_tasks", input: { status: "open", due: "today" } }), say("One task today."));
    const list = await chat({ message: "what do I need to do today?", conversation_id: conversation });
    expect(list.body.tool_calls).toMatchObject([{ tool_name: "list_tasks", result: { total: 1 } }]);

    model.push(
      call({
        name: "update_task",
        input: { task: "groceries", priority: "high", new_title: "buy groceries and bread" },
      }),
      say("Updated."),
    );
    const update = await chat({ message: "make it high priority and add bread", conversation_id: conversation });
    expect(update.body.tool_calls).toMatchObject([
      {
        tool_name: "update_task",
        success: true,
        result: { task: { title: "buy groceries and bread", priority: "high" } },
      },
    ]);

    model.push(call({ name: "complete_task", input: { task: "groceries" } }), say("Done."));
    const done = await chat({ message: "mark the groceries done", conversation_id: conversation });
    expect(done.body.tool_calls).toMatchObject([
      { tool_name: "complete_task", result: { status: "completed", count: 1 } },
    ]);
    expect((await tasks("&status=done")).map((task) => task.title)).toEqual(["buy groceries and bread"]);

    // Stored one row per message, in order, with tool calls and results paired.
    const rows = await messages(conversation);
    expect(rows.map((row) => row.role)).toEqual([
      ...["user", "assistant", "tool", "assistant"],
      ...["user", "assistant", "tool", "assistant"],
      ...["user", "assistant", "tool", "assistant"],
      ...["user", "assistant", "tool", "assistant"],
    ]);
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, index) => index + 1));
    expect(rows.filter((row) => row.role === "user").every((row) => row.status === "complete")).toBe(true);
    expectNoOrphans(rows);

    // The model got the whole conversation back on the last turn, rebuilt from the database.
    const lastPrompt = model.prompts[model.prompts.length - 2] ?? [];
    const userTexts = lastPrompt
      .filter((message) => message.role === "user")
      .map((message) => message.content.map((part) => (part.type === "text" ? part.text : "")).join(""));
    expect(userTexts).toEqual([
      "add buy groceries to my list",
      "what do I need to do today?",
      "make it high priority and add bread",
      "mark the groceries done",
    ]);
    expect(lastPrompt.filter((message) => message.role === "tool")).toHaveLength(3);
  });

  it("deletes only after the user confirms in a later turn, whatever the model tries", async () => {
    const add = await t.app.inject({
      method: "POST",
      url: "/api/tasks",
      headers: auth(),
      payload: { title: "old report" },
    });
    const taskId = (add.json() as { task: { id: string } }).task.id;
    const confirmationOf = (prompt: Parameters<typeof toolResults>[0]) =>
      toolResults(prompt)
        .reverse()
        .find((result) => result.status === "needs_confirmation")?.confirmation_id;
    // The model asks, then at once tries to confirm by itself in the same turn: the tool refuses.
    model.push(
      call({ name: "delete_task", input: { task: "old report" } }),
      call({
        name: "delete_task",
        input: (prompt: Parameters<typeof toolResults>[0]) => ({ confirmation_id: confirmationOf(prompt) }),
      }),
      say("This would delete old report. Confirm?"),
    );
    const ask = await chat({ message: "delete the old report" });
    const conversation = String(ask.body.conversation_id);
    expect(ask.body.tool_calls).toMatchObject([
      {
        tool_name: "delete_task",
        success: true,
        result: { status: "needs_confirmation", would_change: [{ id: taskId }] },
      },
      { tool_name: "delete_task", success: false, result: { error: { code: "conflict" } } },
    ]);
    expect((await tasks()).map((task) => task.id)).toContain(taskId);

    // The user says yes in the next turn: now it runs, once.
    model.push(
      call({
        name: "delete_task",
        input: (prompt: Parameters<typeof toolResults>[0]) => ({ confirmation_id: confirmationOf(prompt) }),
      }),
      call({
        name: "delete_task",
        input: (prompt: Parameters<typeof toolResults>[0]) => ({ confirmation_id: confirmationOf(prompt) }),
      }),
      say("Deleted."),
    );
    const yes = await chat({ message: "yes", conversation_id: conversation });
    expect(yes.body.tool_calls).toMatchObject([
      { tool_name: "delete_task", success: true, result: { status: "deleted", count: 1 } },
      { tool_name: "delete_task", success: false, result: { error: { code: "conflict" } } },
    ]);
    expect((await tasks()).map((task) => task.id)).not.toContain(taskId);
    const trash = await t.app.inject({ method: "GET", url: "/api/trash", headers: auth() });
    expect(trash.body).toContain(taskId);
  });

  it("asks which task is meant when a reference matches several, and changes none", async () => {
    for (const title of ["call mum", "call the bank"]) {
      await t.app.inject({ method: "POST", url: "/api/tasks", headers: auth(), payload: { title } });
    }
    model.push(call({ name: "complete_task", input: { task: "call" } }), say("Which one: call mum or call the bank?"));
    const response = await chat({ message: "mark the call done" });
    expect(response.body.tool_calls).toMatchObject([
      {
        tool_name: "complete_task",
        result: { status: "ambiguous", matches: [{ title: "call mum" }, { title: "call the bank" }] },
      },
    ]);
    expect((await tasks("&status=done")).map((task) => task.title)).not.toContain("call mum");
  });

  it("never lets the model act as another user: the tools use the token's user", async () => {
    model.push(call({ name: "list_tasks", input: { status: "all", user_id: t.alice.id } }), say("ok"));
    const response = await chat({ message: "list everything" }, t.bob.token);
    expect(response.body.tool_calls).toMatchObject([{ tool_name: "list_tasks", result: { total: 0, tasks: [] } }]);
  });

  it("returns the stored answer for a repeated client_message_id, in a row and at once", async () => {
    model.push(call({ name: "add_task", input: { title: "renew passport" } }), say("Added."));
    const once = await chat({ message: "add renew passport", client_message_id: "cm-1" });
    const again = await chat({ message: "add renew passport", client_message_id: "cm-1" });
    expect(again.body).toEqual(once.body);
    expect((await tasks()).filter((task) => task.title === "renew passport")).toHaveLength(1);
    const rows = await messages(String(once.body.conversation_id));
    expect(rows.filter((row) => row.role === "user")).toHaveLength(1);
    // The same id with another text is not a retry: refused, and nothing runs.
    const other = await chat({ message: "add something else", client_message_id: "cm-1" });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ error: { code: "conflict" } });
    expect((await tasks()).map((task) => task.title)).not.toContain("something else");

    // Twice at once, in an existing conversation and as a first message.
    for (const conversationId of [once.body.conversation_id, undefined]) {
      model.push(call({ name: "add_task", input: { title: `pay bill ${conversationId ? "a" : "b"}` } }), async () => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return say("Added.")([], {} as never);
      });
      const payload = {
        message: "add pay bill",
        client_message_id: `cm-race-${String(conversationId)}`,
        ...(conversationId ? { conversation_id: conversationId } : {}),
      };
      const [a, b] = await Promise.all([chat(payload), chat(payload)]);
      expect(a.status).toBe(200);
      expect(b.body).toEqual(a.body);
      const turnRows = await messages(String(a.body.conversation_id));
      expect(turnRows.filter((row) => row.clientMessageId === payload.client_message_id)).toHaveLength(1);
      expect(turnRows.filter((row) => row.role === "assistant" && row.content === "Added.").length).toBeGreaterThan(0);
      expect((await tasks()).filter((task) => task.title === `pay bill ${conversationId ? "a" : "b"}`)).toHaveLength(1);
    }
  });

  it("runs a tool call id once: a replayed call returns the stored outcome", async () => {
    model.push(call({ name: "add_task", input: { title: "only once" }, id: "call_fixed_1" }), say("Added."));
    const first = await chat({ message: "add only once" });
    model.push(call({ name: "add_task", input: { title: "only once" }, id: "call_fixed_1" }), say("Added again?"));
    const second = await chat({ message: "add only once", conversation_id: first.body.conversation_id });
    expect(second.body.tool_calls).toEqual(first.body.tool_calls);
    expect((await tasks()).filter((task) => task.title === "only once")).toHaveLength(1);
  });

  it("serves tasks over REST, scoped to the token's user, with stable errors", async () => {
    const created = await t.app.inject({
      method: "POST",
      url: "/api/tasks",
      headers: auth(),
      payload: { title: "rest task", due: "2026-12-24", priority: "urgent", description: "by REST" },
    });
    expect(created.statusCode).toBe(201);
    const id = (created.json() as { task: { id: string } }).task.id;
    expect(
      (await t.app.inject({ method: "GET", url: `/api/tasks/${id}`, headers: auth(t.bob.token) })).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: "PATCH",
          url: `/api/tasks/${id}`,
          headers: auth(t.bob.token),
          payload: { status: "done" },
        })
      ).statusCode,
    ).toBe(404);
    const invalid = await t.app.inject({
      method: "PATCH",
      url: `/api/tasks/${id}`,
      headers: auth(),
      payload: { status: "later" },
    });
    expect(invalid.statusCode).toBe(422);
    const tooLong = await t.app.inject({
      method: "POST",
      url: "/api/tasks",
      headers: auth(),
      payload: { title: "t".repeat(201) },
    });
    expect(tooLong.statusCode).toBe(422);
    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/tasks/${id}`,
      headers: auth(),
      payload: { status: "done" },
    });
    expect(patched.json()).toMatchObject({
      task: { status: "done", dueAt: "2026-12-24T23:59:59.999Z", priority: "urgent" },
    });
    expect((await t.app.inject({ method: "DELETE", url: `/api/tasks/${id}`, headers: auth() })).statusCode).toBe(200);
    const after = await t.app.inject({ method: "GET", url: `/api/tasks/${id}`, headers: auth() });
    expect((after.json() as { task: { deletedAt: string | null } }).task.deletedAt).not.toBeNull();
    expect((await tasks("&status=all")).map((task) => task.id)).not.toContain(id);
    const restored = await t.app.inject({ method: "POST", url: `/api/tasks/${id}/restore`, headers: auth() });
    expect(restored.json()).toMatchObject({ task: { deletedAt: null } });
  });

  it("streams a turn as server-sent events ending with the same body", async () => {
    model.push(call({ name: "add_task", input: { title: "stream me" } }), say("Streamed."));
    const response = await t.app.inject({
      method: "POST",
      url: "/api/chat",
      headers: { ...auth(), accept: "text/event-stream" },
      payload: { message: "add stream me" },
    });
    expect(response.headers["content-type"]).toContain("text/event-stream");
    const events = response.body
      .trim()
      .split("\n\n")
      .map((block) => {
        const [eventLine, dataLine] = block.split("\n");
        return {
          event: eventLine?.replace("event: ", ""),
          data: JSON.parse(dataLine?.replace("data: ", "") ?? "null"),
        };
      });
    expect(events.map((event) => event.event)).toEqual(["conversation", "tool_call", "tool_result", "text", "done"]);
    expect(events[1]?.data).toMatchObject({ tool_name: "add_task", parameters: { title: "stream me" } });
    expect(events[4]?.data).toMatchObject({ assistant_message: "Streamed.", tool_calls: [{ tool_name: "add_task" }] });

    const invalid = await t.app.inject({
      method: "POST",
      url: "/api/chat",
      headers: { ...auth(), accept: "text/event-stream" },
      payload: { message: "x".repeat(10_001) },
    });
    expect(invalid.statusCode).toBe(422);
    expect(invalid.json()).toMatchObject({ error: { code: "invalid_input" } });
  });
});

describe("chat errors, by class", () => {
  const providerError = (status: number, retryable: boolean) => () => {
    throw new APICallError({
      message: "provider says no: sk-secret-key",
      url: "http://provider.test/v1/chat/completions",
      requestBodyValues: {},
      statusCode: status,
      responseHeaders: { "retry-after-ms": "1" },
      isRetryable: retryable,
    });
  };
  const table = [
    {
      name: "too many turns",
      steps: [
        call({ name: "list_tasks", input: {} }),
        call({ name: "list_tasks", input: {} }),
        call({ name: "list_tasks", input: {} }),
      ],
      status: 504,
      code: "agent_turn_limit",
      storedSteps: 3,
    },
    { name: "guardrail refusal", steps: [refuse()], status: 422, code: "guardrail_refusal", storedSteps: 0 },
    {
      name: "provider error",
      steps: [providerError(400, false)],
      status: 502,
      code: "upstream_model_error",
      storedSteps: 0,
    },
    {
      name: "provider error after its retries",
      steps: [providerError(503, true), providerError(503, true), providerError(503, true), providerError(503, true)],
      status: 502,
      code: "upstream_model_error",
      storedSteps: 0,
    },
    {
      name: "provider timeout",
      steps: [
        (_prompt: unknown, options: { abortSignal?: AbortSignal }) =>
          new Promise<never>((_resolve, reject) => {
            options.abortSignal?.addEventListener("abort", () => reject(options.abortSignal?.reason));
          }),
      ],
      status: 504,
      code: "upstream_timeout",
      storedSteps: 0,
    },
    {
      name: "a step's tool calls, then a provider error",
      steps: [call({ name: "add_task", input: { title: "half a turn" } }), providerError(400, false)],
      status: 502,
      code: "upstream_model_error",
      storedSteps: 1,
    },
    {
      name: "anything else",
      steps: [
        () => {
          throw new Error("database password hunter2 at /srv/secret");
        },
      ],
      status: 500,
      code: "internal",
      storedSteps: 0,
    },
  ];

  it.each(table)("$name → $status $code, with the conversation kept consistent", async (row) => {
    model.push(...(row.steps as never[]));
    const response = await chat({ message: `trigger: ${row.name}`, client_message_id: `err-${row.name}` });
    expect(response.status).toBe(row.status);
    expect(response.body.error).toMatchObject({ code: row.code });
    const conversation = String(response.body.conversation_id);
    expect(conversation).toMatch(/^[0-9A-Z]{26}$/);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain("sk-secret-key");
    expect(text).not.toContain("at /");

    const rows = await messages(conversation);
    expect(rows[0]).toMatchObject({ role: "user", content: `trigger: ${row.name}`, status: "error", error: row.code });
    expect(rows.filter((stored) => stored.role === "assistant")).toHaveLength(row.storedSteps);
    expectNoOrphans(rows);
  });

  it("retries a retryable provider error and then answers", async () => {
    const before = model.prompts.length;
    model.push(providerError(429, true), providerError(500, true), say("Third time lucky."));
    const response = await chat({ message: "hello?" });
    expect(response.status).toBe(200);
    expect(response.body.assistant_message).toBe("Third time lucky.");
    expect(model.prompts.length - before).toBe(3);
  });

  it("runs a failed turn again when its client_message_id is retried", async () => {
    model.push(providerError(400, false));
    const failed = await chat({ message: "add water plants", client_message_id: "retry-me" });
    expect(failed.status).toBe(502);
    model.push(call({ name: "add_task", input: { title: "water plants" } }), say("Added."));
    const retried = await chat({ message: "add water plants", client_message_id: "retry-me" });
    expect(retried.status).toBe(200);
    expect(retried.body.conversation_id).toBe(failed.body.conversation_id);
    const rows = await messages(String(retried.body.conversation_id));
    expect(rows.filter((row) => row.role === "user")).toMatchObject([{ status: "complete", error: null }]);
  });

  it("refuses bad requests with stable codes", async () => {
    expect((await chat({ message: "x".repeat(10_001) })).body.error).toMatchObject({ code: "invalid_input" });
    expect((await chat({ message: "x".repeat(10_001) })).status).toBe(422);
    expect((await chat({ message: "   " })).status).toBe(422);
    expect((await chat({ message: "hi", conversation_id: "01ZZZZZZZZZZZZZZZZZZZZZZZZ" })).status).toBe(404);
    const malformed = await t.app.inject({
      method: "POST",
      url: "/api/chat",
      headers: { ...auth(), "content-type": "application/json" },
      payload: "{not json",
    });
    expect(malformed.statusCode).toBe(400);

    model.push(say("mine"));
    const alices = await chat({ message: "hi" });
    const bobTries = await chat({ message: "hi", conversation_id: alices.body.conversation_id }, t.bob.token);
    expect(bobTries.status).toBe(403);
    const bobReads = await t.app.inject({
      method: "GET",
      url: `/api/conversations/${String(alices.body.conversation_id)}/messages`,
      headers: auth(t.bob.token),
    });
    expect(bobReads.statusCode).toBe(403);

    const wrongPath = await t.app.inject({
      method: "POST",
      url: `/api/${t.bob.id}/chat`,
      headers: auth(),
      payload: { message: "hi" },
    });
    expect(wrongPath.statusCode).toBe(403);
    model.push(say("path ok"));
    const rightPath = await t.app.inject({
      method: "POST",
      url: `/api/${t.alice.id}/chat`,
      headers: auth(),
      payload: { message: "hi" },
    });
    expect(rightPath.json()).toMatchObject({ assistant_message: "path ok" });
  });

  it("lists, pages and deletes conversations", async () => {
    model.push(say("one"), say("two"));
    const first = await chat({ message: "first" }, t.bob.token);
    await chat({ message: "second", conversation_id: first.body.conversation_id }, t.bob.token);
    const list = await t.app.inject({ method: "GET", url: "/api/conversations", headers: auth(t.bob.token) });
    const listed = list.json() as { total: number; conversations: { id: string; messageCount: number }[] };
    expect(listed.total).toBe(listed.conversations.length);
    expect(listed.conversations[0]).toMatchObject({ id: first.body.conversation_id, messageCount: 4 });
    const page = await t.app.inject({
      method: "GET",
      url: `/api/conversations/${String(first.body.conversation_id)}/messages?limit=2&offset=2`,
      headers: auth(t.bob.token),
    });
    expect(page.json()).toMatchObject({
      total: 4,
      messages: [
        { content: "second", seq: 3 },
        { content: "two", seq: 4 },
      ],
    });
    const byAlice = await t.app.inject({
      method: "DELETE",
      url: `/api/conversations/${String(first.body.conversation_id)}`,
      headers: auth(),
    });
    expect(byAlice.statusCode).toBe(403);
    const deleted = await t.app.inject({
      method: "DELETE",
      url: `/api/conversations/${String(first.body.conversation_id)}`,
      headers: auth(t.bob.token),
    });
    expect(deleted.statusCode).toBe(200);
    const gone = await chat({ message: "more", conversation_id: first.body.conversation_id }, t.bob.token);
    expect(gone.status).toBe(404);
  });
});

describe("the chat rate limit", () => {
  it("allows 60 chat requests a minute per user, then 429 with Retry-After", async () => {
    const limited = await createTestApp({}, { chatModel: scriptedModel(), options: { chatPerMinute: 3 } });
    try {
      const send = (token: string) =>
        limited.app.inject({
          method: "POST",
          url: "/api/chat",
          headers: { authorization: `Bearer ${token}` },
          payload: { message: "x".repeat(10_001) },
        });
      for (let index = 0; index < 3; index++) expect((await send(limited.alice.token)).statusCode).toBe(422);
      const refused = await send(limited.alice.token);
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
      expect(refused.json()).toMatchObject({ error: { code: "rate_limited" } });
      // Per user: bob still has his.
      expect((await send(limited.bob.token)).statusCode).toBe(422);
    } finally {
      await limited.dispose();
    }
  });
});
