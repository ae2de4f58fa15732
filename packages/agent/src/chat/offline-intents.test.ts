import { describe, expect, it } from "vitest";
import { cannot, type Intent, identity, parseCommand } from "./offline-intents";

const tool = (name: string, input: Record<string, unknown>): Intent => ({ kind: "tool", tool: name, input });
const count = (input: Record<string, unknown>): Intent => ({ kind: "tool", tool: "list_tasks", input, reply: "count" });
const pronoun = (name: string, input: Record<string, unknown> = {}): Intent => ({ kind: "pronoun", tool: name, input });
const add = (title: string, extra: Record<string, unknown> = {}) => tool("add_task", { title, ...extra });
const list = (input: Record<string, unknown>) => tool("list_tasks", input);
const complete = (task: string) => tool("complete_task", { task });
const update = (task: string, change: Record<string, unknown>) => tool("update_task", { task, ...change });
const remove = (task: string) => tool("delete_task", { task });
const ask = (question: string) => tool("ask_oracle", { question });

/**
 * Requests as people type them to a to-do assistant (issue 17: at least 150), and the tool
 * call each must produce. Written from what people say, not from what the parser reads: the
 * first 40 are the ones a newcomer typed, the rest the same requests said other ways.
 */
const table: [string, Intent][] = [
  // adding, with dates and priorities wherever they fall
  ["add buy milk", add("buy milk")],
  ["Add buy groceries to my list", add("buy groceries")],
  ["add call the dentist tomorrow", add("call the dentist", { due: "tomorrow" })],
  ["add pay rent due friday", add("pay rent", { due: "friday" })],
  ["add file taxes by 2026-12-01 high priority", add("file taxes", { due: "2026-12-01", priority: "high" })],
  ["remind me to water the plants today", add("water the plants", { due: "today" })],
  ["new task: renew passport", add("renew passport")],
  ["create a task review PR 42 urgent", add("review PR 42", { priority: "urgent" })],
  ["todo book flights in 3 days", add("book flights", { due: "in 3 days" })],
  ["I need to fix the boiler next week", add("fix the boiler", { due: "next week" })],
  ['add "ship v2.0" to the list', add("ship v2.0")],
  [
    "add pay electricity bill due friday, high priority",
    add("pay electricity bill", { due: "friday", priority: "high" }),
  ],
  ["add call grandma on 12/24", add("call grandma", { due: "12/24" })],
  ["add an urgent task: fix the leaking sink", add("fix the leaking sink", { priority: "urgent" })],
  ["can you add pick up the dry cleaning tomorrow?", add("pick up the dry cleaning", { due: "tomorrow" })],
  ["please add 'email Sam about the offsite' for monday", add("email Sam about the offsite", { due: "monday" })],
  ["Add: order printer ink", add("order printer ink")],
  ["add a high priority task to call the bank", add("call the bank", { priority: "high" })],
  ["add renew car insurance by december 20", add("renew car insurance", { due: "december 20" })],
  ["add book the vet for next tuesday", add("book the vet", { due: "next tuesday" })],
  ["add submit expenses by end of the month", add("submit expenses", { due: "end of the month" })],
  ["add buy a birthday present for Mia on 3rd march", add("buy a birthday present for Mia", { due: "3rd march" })],
  [
    "add clean the garage this weekend, low priority",
    add("clean the garage", { due: "this weekend", priority: "low" }),
  ],
  ["add p1 fix login bug", add("fix login bug", { priority: "urgent" })],
  ["add fix the flaky test asap", add("fix the flaky test", { priority: "urgent" })],
  ["add prepare slides in a couple of days", add("prepare slides", { due: "in a couple of days" })],
  ["don't forget to call mum on sunday", add("call mum", { due: "sunday" })],
  ["I have to return the library books by the 15th", add("return the library books", { due: "the 15th" })],
  ["put eggs on my shopping list", add("eggs")],
  ["put eggs on my list", add("eggs")],
  ["remind me to stretch", add("stretch")],
  ["i gotta send the invoice tmrw", add("send the invoice", { due: "tmrw" })],
  ["we need to order more coffee", add("order more coffee")],
  ["schedule dentist appointment for next thursday at 3pm", add("dentist appointment", { due: "next thursday" })],
  ["new todo - water the lawn", add("water the lawn")],
  ["add buy milk with low priority", add("buy milk", { priority: "low" })],
  ["add important: sign the lease", add("sign the lease", { priority: "high" })],
  ["hey, add walk the dog tonight", add("walk the dog", { due: "tonight" })],
  ["add task to back up the laptop", add("back up the laptop")],
  [
    "add finish the quarterly report by friday priority high",
    add("finish the quarterly report", { due: "friday", priority: "high" }),
  ],
  // listing, with filters
  ["what do I need to do today?", list({ status: "open", due: "today" })],
  ["what's on my list", list({ status: "open" })],
  ["list my tasks", list({ status: "open" })],
  ["show all tasks", list({ status: "all" })],
  ["what's overdue?", list({ status: "open", due: "overdue" })],
  ["what is due tomorrow", list({ status: "open", due: "tomorrow" })],
  ["show tasks due this week", list({ status: "open", due: "week" })],
  ["what did I finish last week?", list({ status: "done", completed_since: "14d", completed_until: "7d" })],
  ["show done tasks", list({ status: "done" })],
  ["which tasks are in progress", list({ status: "in_progress" })],
  ["list pending tasks", list({ status: "pending" })],
  ["tasks", list({ status: "open" })],
  ["show high priority tasks", list({ status: "open", priority: "high" })],
  ["list everything including done ones", list({ status: "all" })],
  ["what's urgent?", list({ status: "open", priority: "urgent" })],
  ["any tasks for today?", list({ status: "open", due: "today" })],
  ["what's on my plate this week", list({ status: "open", due: "week" })],
  ["show me my todo list", list({ status: "open" })],
  ["my tasks", list({ status: "open" })],
  ["do I have anything due tomorrow?", list({ status: "open", due: "tomorrow" })],
  ["what have I completed today", list({ status: "done", completed_since: "1d" })],
  ["list tasks about taxes", list({ status: "open", title: "taxes" })],
  ["what's late", list({ status: "open", due: "overdue" })],
  ["show my open tasks", list({ status: "open" })],
  ["what should I work on next?", list({ status: "open", limit: 5 })],
  ["which tasks have no due date", list({ status: "open", due: "none" })],
  ["give me everything on my list, done ones too", list({ status: "all" })],
  ["what am I working on right now", list({ status: "in_progress" })],
  ["show tasks I haven't started", list({ status: "pending" })],
  ["agenda", list({ status: "open" })],
  // counting
  ["how many tasks do I have?", count({ status: "open", limit: 1 })],
  ["how many tasks are overdue", count({ status: "open", due: "overdue", limit: 1 })],
  ["how many things did I finish this week", count({ status: "done", completed_since: "7d", limit: 1 })],
  ["how many urgent tasks are left", count({ status: "open", priority: "urgent", limit: 1 })],
  ["count my tasks", count({ status: "open", limit: 1 })],
  // completing
  ["mark buy milk done", complete("buy milk")],
  ["mark the groceries done", complete("groceries")],
  ["complete pay rent", complete("pay rent")],
  ["I finished the report", complete("report")],
  ["buy milk is done", complete("buy milk")],
  ["done with the slides", complete("slides")],
  ["mark it done", pronoun("complete_task")],
  ["mark all tasks due today as done", tool("complete_task", { filter: { status: "open", due: "today" } })],
  ["I finished the dentist thing", complete("dentist")],
  ["I've done the dishes", complete("dishes")],
  ["the invoice is sent", complete("invoice")],
  ["tick off water the plants", complete("water the plants")],
  ["check off call mum", complete("call mum")],
  ["cross off eggs", complete("eggs")],
  ["finished: quarterly report", complete("quarterly report")],
  ["quarterly report done", complete("quarterly report")],
  ["I paid the rent", complete("pay rent")],
  ["just called the dentist", complete("call dentist")],
  ["I called the dentist", complete("call dentist")],
  ["the tax return has been filed", complete("tax return")],
  ["the tax return is finished", complete("tax return")],
  ["got the car serviced done", complete("car serviced")],
  ["I am done with the budget task", complete("budget")],
  ["mark 'renew passport' as complete", complete("renew passport")],
  ["complete everything due this week", tool("complete_task", { filter: { status: "open", due: "week" } })],
  // starting, pending again
  ["start the report", update("report", { status: "in_progress" })],
  ["mark slides as in progress", update("slides", { status: "in_progress" })],
  ["I've started working on the tax return", update("tax return", { status: "in_progress" })],
  ["I'm working on the budget now", update("budget", { status: "in_progress" })],
  ["begin the migration", update("migration", { status: "in_progress" })],
  ["the migration is in progress", update("migration", { status: "in_progress" })],
  ["reopen buy milk", update("buy milk", { status: "pending" })],
  ["the report isn't done yet", update("report", { status: "pending" })],
  ["mark the slides as not done", update("slides", { status: "pending" })],
  // due dates
  ["move pay rent to monday", update("pay rent", { due: "monday" })],
  ["reschedule the dentist to tomorrow", update("dentist", { due: "tomorrow" })],
  ["move it to friday", pronoun("update_task", { due: "friday" })],
  ["change the due date of the tax return to december 20", update("tax return", { due: "december 20" })],
  ["set the deadline for the slides to next friday", update("slides", { due: "next friday" })],
  ["the report is due monday", update("report", { due: "monday" })],
  ["push the vet appointment to next week", update("vet appointment", { due: "next week" })],
  ["make the invoice due on 12/30", update("invoice", { due: "12/30" })],
  ["the slides should be done by thursday", update("slides", { due: "thursday" })],
  ["remove the due date from buy milk", update("buy milk", { due: null })],
  ["clear the deadline of the garage cleanup", update("garage cleanup", { due: null })],
  // postponing by a span
  ["postpone renew car insurance by a week", update("renew car insurance", { postpone_by: "a week" })],
  ["push the report back 2 days", update("report", { postpone_by: "2 days" })],
  ["delay the migration by three days", update("migration", { postpone_by: "three days" })],
  ["postpone the dentist a week", update("dentist", { postpone_by: "a week" })],
  ["snooze water the plants for 2 days", update("water the plants", { postpone_by: "2 days" })],
  // priorities and titles
  ["make file taxes high priority", update("file taxes", { priority: "high" })],
  ["set the priority of report to low", update("report", { priority: "low" })],
  ["the boiler is urgent", update("boiler", { priority: "urgent" })],
  ["mark the lease as important", update("lease", { priority: "high" })],
  ["prioritize the tax return", update("tax return", { priority: "high" })],
  ["deprioritise the garage", update("garage", { priority: "low" })],
  ["rename buy milk to buy oat milk", update("buy milk", { new_title: "buy oat milk" })],
  ["change the title of the report to Q4 report", update("report", { new_title: "Q4 report" })],
  // deleting
  ["delete buy milk", remove("buy milk")],
  ["remove the dentist task", remove("dentist")],
  ["delete it", pronoun("delete_task")],
  [
    "delete everything I finished last week",
    tool("delete_task", { filter: { status: "done", completed_since: "14d", completed_until: "7d" } }),
  ],
  ["clear completed tasks", tool("delete_task", { filter: { status: "done" } })],
  ["cancel the dentist appointment", remove("dentist appointment")],
  ["get rid of the gym task", remove("gym")],
  ["I don't need to buy eggs anymore", remove("buy eggs")],
  ["the offsite is cancelled", remove("offsite")],
  ["scrap 'learn rust'", remove("learn rust")],
  // one task
  ["show task pay rent", tool("get_task", { task: "pay rent" })],
  ["when is the tax return due?", tool("get_task", { task: "tax return" })],
  ["what's the status of the migration", tool("get_task", { task: "migration" })],
  ["details for renew passport", tool("get_task", { task: "renew passport" })],
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
  [
    "save a note: the wifi password is hunter2",
    tool("remember", { content: "the wifi password is hunter2", kind: "note" }),
  ],
  [
    "FYI the office closes at 6 on fridays",
    tool("remember", { content: "the office closes at 6 on fridays", kind: "note" }),
  ],
  ["search retry policy", tool("search_memory", { query: "retry policy" })],
  ["look up the staging port", tool("search_memory", { query: "the staging port" })],
  ["find notes about the offsite", tool("search_memory", { query: "the offsite" })],
  ["what is the wifi password?", ask("what is the wifi password?")],
  ["what did we decide about the retry policy?", ask("what did we decide about the retry policy?")],
  ["what do you know about staging", ask("staging")],
  ["who is our contact at the bank?", ask("who is our contact at the bank?")],
  ["when did we move to PostgreSQL?", ask("when did we move to PostgreSQL?")],
  ["do you remember the API key rotation policy", ask("the API key rotation policy")],
  ["where do we deploy the docs", ask("where do we deploy the docs")],
  // conversation
  ["yes", { kind: "confirm" }],
  ["go ahead", { kind: "confirm" }],
  ["yes please delete it", { kind: "confirm" }],
  ["sure, do it", { kind: "confirm" }],
  ["no", { kind: "cancel" }],
  ["no, keep it", { kind: "cancel" }],
  ["never mind", { kind: "cancel" }],
  ["the second one", { kind: "pick", index: 2 }],
  ["2", { kind: "pick", index: 2 }],
  ["I meant the first one", { kind: "pick", index: 1 }],
  ["who are you?", { kind: "answer", text: identity }],
  ["are you an AI?", { kind: "answer", text: identity }],
  ["help", { kind: "answer", text: identity }],
  ["thanks!", { kind: "answer", text: "You're welcome." }],
  // the same requests said other ways
  ["electricity bill paid", complete("electricity bill")],
  ["mark the electricity bill as paid", complete("electricity bill")],
  ["I can't make the gym today, move it to tomorrow", pronoun("update_task", { due: "tomorrow" })],
  ["forget the gym", remove("gym")],
  ["what's the plan for today?", list({ status: "open", due: "today" })],
  ["complete the first one", { kind: "pick", index: 1, tool: "complete_task", input: {} }],
  ["delete the second one", { kind: "pick", index: 2, tool: "delete_task", input: {} }],
  ["finish task 2", { kind: "pick", index: 2, tool: "complete_task", input: {} }],
  ["add a task", { kind: "answer", text: 'What should the task say? For example: "add buy milk tomorrow".' }],
  ["show me the report task", tool("get_task", { task: "report" })],
  ["is the report done?", tool("get_task", { task: "report" })],
  ["I'll do the laundry tomorrow", add("do the laundry", { due: "tomorrow" })],
  ["call the bank friday", add("call the bank", { due: "friday" })],
  // what it cannot do offline: it says so rather than guess
  ["write me a poem about the sea", { kind: "answer", text: cannot }],
  ["buy milk", { kind: "answer", text: cannot }],
  ["translate this into French", { kind: "answer", text: cannot }],
  ["book me a flight to Lisbon", { kind: "answer", text: cannot }],
];

describe("the built-in offline model's parser", () => {
  it("has at least 150 requests in its table", () => {
    expect(table.length).toBeGreaterThanOrEqual(150);
  });

  it.each(table)("%s", (command, expected) => {
    expect(parseCommand(command)).toEqual(expected);
  });
});
