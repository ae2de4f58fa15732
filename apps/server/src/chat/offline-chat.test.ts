import { describeResult } from "@cairn/agent/chat/offline-replies";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../test-app";

/** The built-in offline model behind the real chat route: no provider configured, as `npm start` runs. */
describe("chat with the built-in offline model", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.dispose());

  const chat = async (message: string, conversation?: string, clientMessageId?: string) => {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/chat",
      headers: { authorization: `Bearer ${t.alice.token}` },
      payload: {
        message,
        ...(conversation ? { conversation_id: conversation } : {}),
        ...(clientMessageId ? { client_message_id: clientMessageId } : {}),
      },
    });
    expect(response.statusCode).toBe(200);
    return response.json() as {
      conversation_id: string;
      assistant_message: string;
      tool_calls: { tool_name: string; result: Record<string, unknown>; success: boolean }[];
    };
  };
  const titles = async () => {
    const response = await t.app.inject({
      method: "GET",
      url: "/api/tasks?limit=500&status=all",
      headers: { authorization: `Bearer ${t.alice.token}` },
    });
    return (response.json() as { tasks: { title: string }[] }).tasks.map((task) => task.title);
  };

  it("runs the same request again in a new conversation (its tool calls are new calls)", async () => {
    expect((await chat("add buy bread")).assistant_message).toBe('Added "buy bread".');
    expect((await chat("add buy bread")).assistant_message).toBe('Added "buy bread".');
    expect((await titles()).filter((title) => title === "buy bread")).toHaveLength(2);
  });

  it("answers a list from the tasks as they are now, not from an earlier answer", async () => {
    const before = await chat("how many tasks do I have?");
    const count = Number(before.tool_calls[0]?.result.total);
    expect(before.assistant_message).toBe(`You have ${count} open task${count === 1 ? "" : "s"}.`);
    await chat("add water the plants tomorrow");
    const after = await chat("how many tasks do I have?");
    expect(after.tool_calls[0]?.result.total).toBe(count + 1);
    const listed = await chat("what's on my list?");
    expect(listed.tool_calls[0]?.result.total).toBe(count + 1);
    expect(listed.assistant_message).toContain("water the plants");
  });

  it("runs nothing twice when a turn is retried with its client_message_id", async () => {
    const first = await chat("add call the plumber", undefined, "retry-me");
    const again = await chat("add call the plumber", undefined, "retry-me");
    expect(again).toEqual(first);
    expect((await titles()).filter((title) => title === "call the plumber")).toHaveLength(1);
  });

  it("postpones a task by a span, from its due date", async () => {
    await chat("add renew car insurance on 2030-01-10");
    const moved = await chat("postpone renew car insurance by a week");
    expect(moved.tool_calls[0]?.result).toMatchObject({ status: "updated", task: { due: "2030-01-17T23:59:59.999Z" } });
  });

  it("answers a question about what was remembered from memory, citing it", async () => {
    await chat("remember that the office wifi password is hunter2");
    const answer = await chat("what is the office wifi password?");
    expect(answer.tool_calls[0]?.tool_name).toBe("ask_oracle");
    expect(answer.assistant_message).toContain("hunter2");
    expect(answer.assistant_message).toMatch(/\[1\] memory:/);
    const nothing = await chat("what is the name of the CEO's cat?");
    expect(nothing.assistant_message).toBe("Memory holds nothing about that.");
  });

  it("never says a tool did what it did not", () => {
    const failed = {
      type: "json" as const,
      value: { error: { code: "conflict", message: "This confirmation has expired" } },
    };
    expect(describeResult("delete_task", failed)).toBe("That didn't work: This confirmation has expired");
    expect(describeResult("delete_task", { type: "error-text", value: "boom" })).toBe("That didn't work: boom");
  });
});
