import { describe, expect, it } from "vitest";
import { cannot, type Intent, identity, parseCommand } from "./offline-intents";

const tool = (name: string, input: Record<string, unknown>): Intent => ({ kind: "tool", tool: name, input });
const pronoun = (name: string, input: Record<string, unknown> = {}): Intent => ({ kind: "pronoun", tool: name, input });

/** Plain-language commands and the tool call each must produce (issue 5: at least 40). */
const table: [string, Intent][] = [
  // add
  ["add buy milk", tool("add_task", { title: "buy milk" })],
  ["Add buy groceries to my list", tool("add_task", { title: "buy groceries" })],
  ["add call the dentist tomorrow", tool("add_task", { title: "call the dentist", due: "tomorrow" })],
  ["add pay rent due friday", tool("add_task", { title: "pay rent", due: "friday" })],
  [
    "add file taxes by 2026-12-01 high priority",
    tool("add_task", { title: "file taxes", due: "2026-12-01", priority: "high" }),
  ],
  ["remind me to water the plants today", tool("add_task", { title: "water the plants", due: "today" })],
  ["new task: renew passport", tool("add_task", { title: "renew passport" })],
  ["create a task review PR 42 urgent", tool("add_task", { title: "review PR 42", priority: "urgent" })],
  ["todo book flights in 3 days", tool("add_task", { title: "book flights", due: "in 3 days" })],
  ["I need to fix the boiler next week", tool("add_task", { title: "fix the boiler", due: "next week" })],
  ['add "ship v2.0" to the list', tool("add_task", { title: "ship v2.0" })],
  // list
  ["what do I need to do today?", tool("list_tasks", { status: "open", due: "today" })],
  ["what's on my list", tool("list_tasks", { status: "open" })],
  ["list my tasks", tool("list_tasks", { status: "open" })],
  ["show all tasks", tool("list_tasks", { status: "all" })],
  ["what's overdue?", tool("list_tasks", { status: "open", due: "overdue" })],
  ["what is due tomorrow", tool("list_tasks", { status: "open", due: "tomorrow" })],
  ["show tasks due this week", tool("list_tasks", { status: "open", due: "week" })],
  [
    "what did I finish last week?",
    tool("list_tasks", { status: "done", completed_since: "14d", completed_until: "7d" }),
  ],
  ["show done tasks", tool("list_tasks", { status: "done" })],
  ["which tasks are in progress", tool("list_tasks", { status: "in_progress" })],
  ["list pending tasks", tool("list_tasks", { status: "pending" })],
  ["tasks", tool("list_tasks", { status: "open" })],
  // complete
  ["mark buy milk done", tool("complete_task", { task: "buy milk" })],
  ["mark the groceries done", tool("complete_task", { task: "groceries" })],
  ["complete pay rent", tool("complete_task", { task: "pay rent" })],
  ["I finished the report", tool("complete_task", { task: "report" })],
  ["buy milk is done", tool("complete_task", { task: "buy milk" })],
  ["done with the slides", tool("complete_task", { task: "slides" })],
  ["mark it done", pronoun("complete_task")],
  ["mark all tasks due today as done", tool("complete_task", { filter: { status: "open", due: "today" } })],
  // update
  ["rename buy milk to buy oat milk", tool("update_task", { task: "buy milk", new_title: "buy oat milk" })],
  ["move pay rent to monday", tool("update_task", { task: "pay rent", due: "monday" })],
  ["reschedule the dentist to tomorrow", tool("update_task", { task: "dentist", due: "tomorrow" })],
  ["make file taxes high priority", tool("update_task", { task: "file taxes", priority: "high" })],
  ["set the priority of report to low", tool("update_task", { task: "report", priority: "low" })],
  ["start the report", tool("update_task", { task: "report", status: "in_progress" })],
  ["mark slides as in progress", tool("update_task", { task: "slides", status: "in_progress" })],
  ["reopen buy milk", tool("update_task", { task: "buy milk", status: "pending" })],
  ["move it to friday", pronoun("update_task", { due: "friday" })],
  // delete
  ["delete buy milk", tool("delete_task", { task: "buy milk" })],
  ["remove the dentist task", tool("delete_task", { task: "dentist" })],
  ["delete it", pronoun("delete_task")],
  [
    "delete everything I finished last week",
    tool("delete_task", { filter: { status: "done", completed_since: "14d", completed_until: "7d" } }),
  ],
  ["clear completed tasks", tool("delete_task", { filter: { status: "done" } })],
  // show one
  ["show task pay rent", tool("get_task", { task: "pay rent" })],
  // memory
  [
    "remember that the staging API runs on port 8787",
    tool("remember", { content: "the staging API runs on port 8787", kind: "fact" }),
  ],
  [
    "remember we decided to retry 3 times with backoff",
    tool("remember", { content: "we decided to retry 3 times with backoff", kind: "decision" }),
  ],
  ["note: I prefer tabs over spaces", tool("remember", { content: "I prefer tabs over spaces", kind: "preference" })],
  ["search retry policy", tool("search_memory", { query: "retry policy" })],
  ["what did we decide about the retry policy?", tool("search_memory", { query: "the retry policy" })],
  ["what do you know about staging", tool("search_memory", { query: "staging" })],
  // conversation
  ["yes", { kind: "confirm" }],
  ["go ahead", { kind: "confirm" }],
  ["no", { kind: "cancel" }],
  ["the second one", { kind: "pick", index: 2 }],
  ["2", { kind: "pick", index: 2 }],
  ["who are you?", { kind: "answer", text: identity }],
  ["are you an AI?", { kind: "answer", text: identity }],
  ["write me a poem about the sea", { kind: "answer", text: cannot }],
  ["what's the weather in Paris", { kind: "answer", text: cannot }],
];

describe("the built-in offline model's parser", () => {
  it("has at least 40 commands in its table", () => {
    expect(table.length).toBeGreaterThanOrEqual(40);
  });

  it.each(table)("%s", (command, expected) => {
    expect(parseCommand(command)).toEqual(expected);
  });
});
