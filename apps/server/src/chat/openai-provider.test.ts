import {
  type FakeOpenAI,
  ruleBasedReply,
  startFakeOpenAI,
  type WireReply,
  type WireRequest,
} from "@cairn/agent/chat/testing/fake-openai";
import { generateText, jsonSchema, tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";
import { createChatModel } from "./chat-model";

let fake: FakeOpenAI;
let next: ((request: WireRequest) => WireReply) | null = null;

beforeAll(async () => {
  fake = await startFakeOpenAI((request) => {
    const scripted = next;
    return scripted ? scripted(request) : ruleBasedReply(request);
  });
});
afterAll(async () => fake.close());

async function chatWith(t: TestApp, payload: Record<string, unknown>) {
  const response = await t.app.inject({
    method: "POST",
    url: "/api/chat",
    headers: { authorization: `Bearer ${t.alice.token}` },
    payload,
  });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

describe.each(["openai-compatible", "openai"] as const)(
  "the real SDK client against an OpenAI wire server (%s)",
  (provider) => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp(
        {},
        { options: { chatProvider: provider, chatBaseUrl: fake.url, chatModel: "fake-model", chatApiKey: "test-key" } },
      );
    });
    afterAll(async () => t.dispose());

    it("runs a multi-turn conversation with streamed tool calls, sending the whole history each turn", async () => {
      const start = fake.requests.length;
      const first = await chatWith(t, { message: "add buy milk" });
      expect(first.status).toBe(200);
      expect(first.body.tool_calls).toMatchObject([
        { tool_name: "add_task", parameters: { title: "buy milk" }, success: true, result: { status: "added" } },
      ]);
      expect(String(first.body.assistant_message)).toContain('"status":"added"');
      const conversation = first.body.conversation_id;
      await chatWith(t, { message: "add walk the dog", conversation_id: conversation });
      const list = await chatWith(t, { message: "list", conversation_id: conversation });
      expect(list.body.tool_calls).toMatchObject([{ tool_name: "list_tasks", result: { total: 2 } }]);
      const done = await chatWith(t, { message: "done buy milk", conversation_id: conversation });
      expect(done.body.tool_calls).toMatchObject([{ tool_name: "complete_task", result: { status: "completed" } }]);

      const requests = fake.requests.slice(start);
      expect(requests).toHaveLength(8); // two model calls per turn: the tool call, then the answer
      expect(requests.every((request) => request.stream === true && request.model === "fake-model")).toBe(true);
      expect(requests[0]?.tools?.map((entry) => entry.function.name).sort()).toEqual([
        "add_task",
        "ask_oracle",
        "complete_task",
        "delete_task",
        "get_task",
        "list_tasks",
        "remember",
        "search_memory",
        "update_task",
      ]);
      // The last call saw every earlier turn: user messages, tool calls with their ids, and their results.
      const lastMessages = requests[7]?.messages ?? [];
      expect(lastMessages[0]?.role).toBe("system");
      expect(lastMessages.filter((message) => message.role === "user").map((message) => message.content)).toEqual([
        "add buy milk",
        "add walk the dog",
        "list",
        "done buy milk",
      ]);
      const calls = lastMessages.flatMap((message) => message.tool_calls ?? []);
      const results = lastMessages.filter((message) => message.role === "tool");
      expect(calls).toHaveLength(4);
      expect(results.map((message) => message.tool_call_id)).toEqual(calls.map((call) => call.id));
    });

    it("retries a provider's 500 and maps a persistent failure to 502 upstream_model_error", async () => {
      let attempts = 0;
      next = () => {
        attempts += 1;
        return attempts < 3
          ? { status: 500, error: "overloaded", headers: { "retry-after-ms": "1" } }
          : { text: "recovered" };
      };
      const recovered = await chatWith(t, { message: "hello" });
      expect(recovered.body.assistant_message).toBe("recovered");
      expect(attempts).toBe(3);

      attempts = 0;
      next = () => {
        attempts += 1;
        return { status: 500, error: "still overloaded", headers: { "retry-after-ms": "1" } };
      };
      const failed = await chatWith(t, { message: "hello again" });
      expect(failed.status).toBe(502);
      expect(failed.body).toMatchObject({ error: { code: "upstream_model_error" } });
      expect(attempts).toBe(4); // the first call and three retries
      next = null;
    });
  },
);

describe("the OpenAI wire without streaming", () => {
  it("parses tool calls from a JSON chat completion through the SDK", async () => {
    next = () => ({ toolCalls: [{ name: "lookup", arguments: { q: "retry policy" } }] });
    const model = createChatModel({
      chatProvider: "openai-compatible",
      chatBaseUrl: fake.url,
      chatModel: "fake-model",
      chatApiKey: "test-key",
    });
    const result = await generateText({
      model,
      prompt: "look it up",
      tools: {
        lookup: tool({
          inputSchema: jsonSchema<{ q: string }>({ type: "object", properties: { q: { type: "string" } } }),
        }),
      },
    });
    next = null;
    expect(fake.requests[fake.requests.length - 1]?.stream).toBeFalsy();
    expect(result.toolCalls).toMatchObject([{ toolName: "lookup", input: { q: "retry policy" } }]);
  });
});
