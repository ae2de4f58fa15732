/**
 * The built-in offline model's parser: plain commands to tool calls, with
 * no guessing. Pure and deterministic; `offline-model.ts` puts it behind the
 * AI SDK's model interface. What it does not recognise, it says it cannot do.
 */

export type Intent =
  | { kind: "tool"; tool: string; input: Record<string, unknown> }
  | { kind: "answer"; text: string }
  /** A pronoun ("delete it") to resolve against the conversation, then run as `tool`. */
  | { kind: "pronoun"; tool: string; input: Record<string, unknown> }
  | { kind: "confirm" }
  | { kind: "cancel" }
  /** "the second one": a pick from the last list of matches, for the previous command. */
  | { kind: "pick"; index: number };

export const identity =
  "I am Cairn's built-in offline assistant: a deterministic command parser, not an AI language model. " +
  "I add, list, complete, update and delete tasks, remember things and search your memory, from plain " +
  'commands such as "add buy milk tomorrow", "what do I need to do today?", "mark buy milk done", ' +
  '"delete buy milk", "remember that the API uses port 8787" or "search retry policy". Configure a model ' +
  "provider (CAIRN_CHAT_PROVIDER) for free-form chat.";

export const cannot =
  'I can\'t do that offline: I only understand plain commands about tasks and memory (say "help" for ' +
  "examples). Configure a model provider (CAIRN_CHAT_PROVIDER) for free-form requests.";

const pronouns = new Set([
  "it",
  "that",
  "this",
  "that one",
  "this one",
  "them",
  "those",
  "these",
  "that task",
  "this task",
]);

function clean(text: string): string {
  return text
    .trim()
    .replace(/\s+/g, " ")
    .replace(/[.!?]+$/, "")
    .trim();
}

/** Strips quotes around a title the user quoted. */
function unquote(text: string): string {
  const trimmed = text.trim();
  const quoted = /^["'“‘](.*)["'”’]$/.exec(trimmed);
  return (quoted?.[1] ?? trimmed).trim();
}

const dueWords =
  /\s+(?:due\s+|by\s+|on\s+|for\s+)?(today|tonight|tomorrow|next week|in \d{1,3} (?:days?|weeks?)|(?:next |on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|\d{4}-\d{2}-\d{2})$/i;
const priorityWords =
  /\s+(?:with\s+)?(?:priority\s+(low|normal|high|urgent)|(low|normal|high|urgent)\s+priority|(urgent|asap))$/i;

/** Peels a trailing due date and priority off a title ("buy milk tomorrow high priority"). */
function titleParts(text: string): { title: string; due?: string; priority?: string } {
  let rest = ` ${text.trim()}`;
  let due: string | undefined;
  let priority: string | undefined;
  for (let pass = 0; pass < 2; pass++) {
    const p = priorityWords.exec(rest);
    if (p && priority === undefined) {
      const word = (p[1] ?? p[2] ?? p[3] ?? "").toLowerCase();
      priority = word === "asap" ? "urgent" : word;
      rest = rest.slice(0, p.index);
    }
    const d = dueWords.exec(rest);
    if (d && due === undefined) {
      due = (d[1] ?? "").toLowerCase().replace(/^on /, "");
      rest = rest.slice(0, d.index);
    }
  }
  return {
    title: unquote(rest.replace(/\s+to (?:my|the) (?:list|tasks|todo list|todos|to-do list)$/i, "")),
    ...(due ? { due } : {}),
    ...(priority ? { priority } : {}),
  };
}

/** A task reference: a pronoun to resolve later, or words of a title. */
function refIntent(tool: string, ref: string, extra: Record<string, unknown> = {}): Intent {
  const cleaned = unquote(ref.replace(/^(?:the|my)\s+(?:task\s+)?/i, "").replace(/\s+task$/i, ""));
  if (pronouns.has(cleaned.toLowerCase())) return { kind: "pronoun", tool, input: extra };
  return { kind: "tool", tool, input: { task: cleaned, ...extra } };
}

const ordinals: Record<string, number> = {
  first: 1,
  "1st": 1,
  one: 1,
  second: 2,
  "2nd": 2,
  two: 2,
  third: 3,
  "3rd": 3,
  three: 3,
  fourth: 4,
  "4th": 4,
  four: 4,
  fifth: 5,
  "5th": 5,
  five: 5,
  last: -1,
};

/** A completion window said in words ("last week", "today", "yesterday"). */
function completedWindow(text: string): { completed_since?: string; completed_until?: string } | null {
  if (/last week/.test(text)) return { completed_since: "14d", completed_until: "7d" };
  if (/this week|past week|in the last 7 days/.test(text)) return { completed_since: "7d" };
  if (/yesterday/.test(text)) return { completed_since: "2d", completed_until: "1d" };
  if (/today/.test(text)) return { completed_since: "1d" };
  return null;
}

/** The list filters a question asks for ("what's due today?", "what did I finish last week?"). */
function listFilter(text: string): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const finished = /\b(done|finish|finished|completed|complete)\b/.test(text);
  if (finished) {
    filter.status = "done";
    Object.assign(filter, completedWindow(text) ?? {});
    return filter;
  }
  if (/in progress|in-progress|started|working on/.test(text)) filter.status = "in_progress";
  else if (/\bpending\b|not started/.test(text)) filter.status = "pending";
  else if (/\ball\b/.test(text) && !/\bopen\b/.test(text)) filter.status = "all";
  else filter.status = "open";
  if (/overdue|late\b/.test(text)) filter.due = "overdue";
  else if (/\btoday\b|tonight/.test(text)) filter.due = "today";
  else if (/tomorrow/.test(text)) filter.due = "tomorrow";
  else if (/this week|next 7 days|week\b/.test(text)) filter.due = "week";
  return filter;
}

/** Parses one user message. `text` is what the user wrote, verbatim. */
export function parseCommand(text: string): Intent {
  const said = clean(text);
  const lower = said.toLowerCase();
  let match: RegExpExecArray | null;

  if (lower === "" || /^(help|commands|what can you do|how do i use this|\?)$/.test(lower)) {
    return { kind: "answer", text: identity };
  }
  if (
    /^(who|what) are you\b|^are you (an? )?(ai|bot|robot|llm|language model|gpt|chatgpt|claude|human|real)\b|^what (model|llm|ai) (is this|are you)|^which model\b/.test(
      lower,
    )
  ) {
    return { kind: "answer", text: identity };
  }
  if (/^(hi|hello|hey|good (morning|afternoon|evening))( there)?$/.test(lower)) {
    return { kind: "answer", text: `Hello. ${identity}` };
  }
  if (/^(thanks|thank you|thx|cheers)\b/.test(lower)) return { kind: "answer", text: "You're welcome." };
  if (/^(y|yes|yep|yeah|yup|sure|ok|okay|confirm|confirmed|do it|go ahead|yes please|please do|proceed)$/.test(lower)) {
    return { kind: "confirm" };
  }
  if (/^(n|no|nope|cancel|stop|never mind|nevermind|don't|do not|abort|no thanks)$/.test(lower)) {
    return { kind: "cancel" };
  }
  match =
    /^(?:the\s+)?(?:number\s+|#)?(\d{1,2}|first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|one|two|three|four|five)(?:\s+one)?$/.exec(
      lower,
    );
  if (match) {
    const word = match[1] ?? "";
    return { kind: "pick", index: /^\d+$/.test(word) ? Number(word) : (ordinals[word] ?? 0) };
  }

  // Remember / note.
  match =
    /^(?:please\s+)?(?:remember|note|memorize|save a note|make a note|note down|keep in mind)(?:\s+that)?[:,]?\s+(.+)$/i.exec(
      said,
    );
  if (match) {
    const content = (match[1] ?? "").trim();
    const kind = /\b(decided|decision|we will|we'll go with)\b/i.test(content)
      ? "decision"
      : /\b(i prefer|prefers?|i like|i'd rather|always use|never use)\b/i.test(content)
        ? "preference"
        : /^that\b/i.test(said.replace(/^\S+\s+/, ""))
          ? "fact"
          : "note";
    return { kind: "tool", tool: "remember", input: { content, kind } };
  }

  // Search memory.
  match =
    /^(?:search(?: my)?(?: memory| memories| notes)?(?: for)?|find|look up|lookup|what do (?:you|i|we) know about|what did (?:we|i) (?:decide|say|note|write|record) (?:about|on)|what do my notes say about|recall)\s+(.+)$/i.exec(
      said,
    );
  if (match && !/^find (?:my )?tasks?\b/i.test(said)) {
    return { kind: "tool", tool: "search_memory", input: { query: unquote(match[1] ?? "") } };
  }

  // Add.
  match =
    /^(?:please\s+)?(?:add(?: a)?(?: new)?(?: task)?(?: to do)?|create(?: a)?(?: new)? task|new task|todo|to-do|remind me to|don't forget to|i need to|i have to|i must|put)[:,]?\s+(.+)$/i.exec(
      said,
    );
  if (match) {
    const parts = titleParts(match[1] ?? "");
    if (parts.title) return { kind: "tool", tool: "add_task", input: parts };
  }

  // Delete (one task, or several by a filter).
  match = /^(?:please\s+)?(?:delete|remove|drop|trash|erase|get rid of|clear)\s+(.+)$/i.exec(said);
  if (match) {
    const what = (match[1] ?? "").toLowerCase();
    if (
      /^(all|every|everything|the)?\s*(completed|finished|done)\s*(tasks?|ones|items)?$|^(all|everything|every task|all tasks|all the tasks)\b/.test(
        what,
      )
    ) {
      const filter = /\b(done|finished|completed|complete)\b/.test(what)
        ? { status: "done", ...(completedWindow(what) ?? {}) }
        : listFilter(what);
      return { kind: "tool", tool: "delete_task", input: { filter } };
    }
    return refIntent("delete_task", match[1] ?? "");
  }

  // Complete several.
  match =
    /^(?:mark|complete|finish|check off|tick off|close)\s+(all|everything|every task|all tasks)(.*?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$/i.exec(
      said,
    );
  if (match) {
    const filter = listFilter(`${match[2] ?? ""}`.toLowerCase());
    filter.status = "open";
    return { kind: "tool", tool: "complete_task", input: { filter } };
  }
  // Complete one.
  match =
    /^(?:please\s+)?(?:mark|complete|finish|finished|check off|tick off|close|i(?: have|'ve)? (?:finished|done|completed))\s+(.+?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$/i.exec(
      said,
    );
  if (match && !/\s+(?:as\s+)?(?:in progress|started|pending|todo|not done)$/i.test(said)) {
    return refIntent("complete_task", match[1] ?? "");
  }
  match =
    /^(?:done with|finished with)\s+(.+)$/i.exec(said) ??
    /^(.+?)\s+is\s+(?:done|finished|complete|completed)$/i.exec(said);
  if (match) return refIntent("complete_task", match[1] ?? "");

  // A question about tasks is a list, never an edit ("what is due tomorrow?").
  const question = /^(what|which|who|anything|is there|are there|do i|have i)\b/.test(lower);

  // Update: title, due date, priority, status.
  match =
    /^(?:rename|retitle)\s+(.+?)\s+to\s+(.+)$/i.exec(said) ??
    /^change (?:the )?title of\s+(.+?)\s+to\s+(.+)$/i.exec(said);
  if (match) return refIntent("update_task", match[1] ?? "", { new_title: unquote(match[2] ?? "") });
  match =
    /^(?:move|reschedule|postpone|push|set)\s+(.+?)\s+(?:to|for|until|due)\s+(today|tonight|tomorrow|next week|in \d{1,3} (?:days?|weeks?)|(?:next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|\d{4}-\d{2}-\d{2})$/i.exec(
      said,
    ) ??
    /^(.+?)\s+is due\s+(?:on\s+)?(today|tonight|tomorrow|next week|in \d{1,3} (?:days?|weeks?)|(?:next )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|\d{4}-\d{2}-\d{2})$/i.exec(
      said,
    );
  if (match && !question) return refIntent("update_task", match[1] ?? "", { due: (match[2] ?? "").toLowerCase() });
  match =
    /^set (?:the )?priority of\s+(.+?)\s+to\s+(low|normal|high|urgent)$/i.exec(said) ??
    /^(?:make|set|mark)\s+(.+?)\s+(?:as\s+)?(?:priority\s+)?(low|normal|high|urgent)(?:\s+priority)?$/i.exec(said);
  if (match) return refIntent("update_task", match[1] ?? "", { priority: (match[2] ?? "").toLowerCase() });
  match =
    /^(?:start|begin|start working on|i'm working on|i am working on)\s+(.+)$/i.exec(said) ??
    /^mark\s+(.+?)\s+(?:as\s+)?(?:in progress|started)$/i.exec(said);
  if (match) return refIntent("update_task", match[1] ?? "", { status: "in_progress" });
  match =
    /^(?:reopen|undo|uncheck)\s+(.+)$/i.exec(said) ??
    /^mark\s+(.+?)\s+(?:as\s+)?(?:pending|todo|not done)$/i.exec(said);
  if (match) return refIntent("update_task", match[1] ?? "", { status: "pending" });
  match = /^(?:remove|clear) the due date (?:of|from)\s+(.+)$/i.exec(said);
  if (match) return refIntent("update_task", match[1] ?? "", { due: null });

  // Show one task.
  match = /^(?:show|open|get|details (?:of|for)|describe)\s+(?:the\s+)?task\s+(.+)$/i.exec(said);
  if (match) return refIntent("get_task", match[1] ?? "");

  // List.
  if (
    /^(what|which|show|list|display|give me|tell me|do i have|have i|what's|whats|any)\b/.test(lower) &&
    /\b(task|tasks|todo|todos|to-do|to do|list|due|overdue|finish|finished|done|complete|completed|need to do|have to do|on my plate|agenda)\b/.test(
      lower,
    )
  ) {
    return { kind: "tool", tool: "list_tasks", input: listFilter(lower) };
  }
  if (/^(my )?(tasks|todos|to-dos|todo list|list)$/.test(lower)) {
    return { kind: "tool", tool: "list_tasks", input: { status: "open" } };
  }

  return { kind: "answer", text: cannot };
}
