import type { ChatMessage } from "@cairn/core/chat/chat-entities";
import { describe, expect, it } from "vitest";
import { historyOf } from "./history";

let seq = 0;
function message(role: ChatMessage["role"], content: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  seq += 1;
  return {
    id: `m${seq}`,
    conversationId: "c",
    seq,
    role,
    content,
    toolCalls: null,
    toolCallId: null,
    clientMessageId: null,
    status: "complete",
    error: null,
    createdAt: "2026-11-21T00:00:00.000Z",
    ...extra,
  };
}

const toolTurn = (id: string, text = "") => [
  message("assistant", text, { toolCalls: [{ id, name: "list_tasks", input: {} }] }),
  message("tool", JSON.stringify({ total: 0 }), { toolCallId: id }),
];

describe("the history sent to the model", () => {
  it("pairs each tool call with its result and drops orphans on either side", () => {
    const stored = [
      message("tool", JSON.stringify({ cut: true }), { toolCallId: "from-before-the-window" }),
      message("user", "list"),
      ...toolTurn("a"),
      message("assistant", "Nothing.", {}),
      message("user", "again"),
      message("assistant", "checking", { toolCalls: [{ id: "never-answered", name: "list_tasks", input: {} }] }),
    ];
    const history = historyOf(stored, { budgetTokens: 10_000 });
    expect(history.map((entry) => entry.role)).toEqual(["user", "assistant", "tool", "assistant", "user", "assistant"]);
    const last = history[history.length - 1];
    // The unanswered call is gone; the text of its message stays.
    expect(last).toEqual({ role: "assistant", content: [{ type: "text", text: "checking" }] });
    expect(JSON.stringify(history)).not.toContain("from-before-the-window");
  });

  it("keeps the newest messages within the token budget, never splitting a call from its result, starting at a user message", () => {
    const stored = [
      message("user", "x".repeat(400)),
      ...toolTurn("old", "y".repeat(400)),
      message("user", "recent"),
      ...toolTurn("new"),
      message("assistant", "done"),
    ];
    const history = historyOf(stored, { budgetTokens: 60 });
    expect(history.map((entry) => entry.role)).toEqual(["user", "assistant", "tool", "assistant"]);
    expect(history[0]).toEqual({ role: "user", content: "recent" });
  });

  it("always sends the newest message, even over the budget", () => {
    const history = historyOf([message("user", "z".repeat(10_000))], { budgetTokens: 100 });
    expect(history).toHaveLength(1);
  });

  it("leaves out failed turns, but not the one being run again", () => {
    const failed = message("user", "broken", { status: "error", error: "upstream_model_error" });
    const stored = [failed, ...toolTurn("half"), message("user", "next", { status: "pending" })];
    expect(historyOf(stored, { budgetTokens: 10_000 })).toEqual([{ role: "user", content: "next" }]);
    const retried = historyOf([failed, ...toolTurn("half2")], {
      budgetTokens: 10_000,
      currentUserMessageId: failed.id,
    });
    expect(retried.map((entry) => entry.role)).toEqual(["user", "assistant", "tool"]);
  });
});
