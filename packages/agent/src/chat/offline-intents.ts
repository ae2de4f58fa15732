import { findDuePhrase, parseDurationDays } from "@cairn/core/due-date";

/**
 * The built-in offline model's parser: plain requests to a to-do assistant, as people type
 * them, to tool calls, with no guessing. Pure and deterministic; `offline-model.ts` puts it
 * behind the AI SDK's model interface. It reads a request in three steps: the words that
 * are not the request (politeness, "can you"), the parts that can stand anywhere (a due
 * date, a priority), then what is asked (add, list, count, complete, start, postpone, …) and
 * of which task. What it does not recognise, it says it cannot do.
 */

export type Intent =
  | { kind: "tool"; tool: string; input: Record<string, unknown>; reply?: "count" }
  | { kind: "answer"; text: string }
  /** A pronoun ("delete it") to resolve against the conversation, then run as `tool`. */
  | { kind: "pronoun"; tool: string; input: Record<string, unknown> }
  | { kind: "confirm" }
  | { kind: "cancel" }
  /**
   * "the second one": a pick from the last list the conversation showed, for this command
   * ("complete the first one") or, without one, for the previous command.
   */
  | { kind: "pick"; index: number; tool?: string; input?: Record<string, unknown> };

export const identity =
  "I am Cairn's built-in offline assistant: a deterministic command parser, not an AI language model. " +
  "I add, list, count, complete, start, postpone, update and delete tasks, remember things and answer from your " +
  'memory, from plain requests such as "add buy milk tomorrow", "what do I need to do today?", "mark buy milk ' +
  'done", "postpone the report by a week", "remember that the API uses port 8787" or "what is the wifi ' +
  'password?". Configure a model provider (CAIRN_CHAT_PROVIDER) for free-form chat.';

export const cannot =
  'I can\'t do that offline: I only understand plain requests about tasks and memory (say "help" for ' +
  "examples). Configure a model provider (CAIRN_CHAT_PROVIDER) for free-form requests.";

const tool = (name: string, input: Record<string, unknown>, reply?: "count"): Intent => ({
  kind: "tool",
  tool: name,
  input,
  ...(reply ? { reply } : {}),
});

/** Parses one user message. `text` is what the user wrote, verbatim. */
export function parseCommand(text: string): Intent {
  const whole = parseSentence(text);
  if (whole) return whole;
  // "I can't make the gym today, move it to tomorrow": the request is often the last clause.
  const clauses = normalise(text).split(/,\s*(?:so\s+|then\s+|and\s+)?|\s+(?:so|then|and then)\s+/i);
  if (clauses.length > 1) {
    const last = parseSentence(clauses[clauses.length - 1] ?? "");
    if (last && last.kind !== "answer") return last;
  }
  return { kind: "answer", text: cannot };
}

function parseSentence(text: string): Intent | null {
  const said = normalise(text);
  const lower = said.toLowerCase();
  for (const recognise of recognisers) {
    const intent = recognise(said, lower, text.trim());
    if (intent) return intent;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Step 1: the words around a request

const contractions: [RegExp, string][] = [
  [/\b(what|that|it|there|who|where|when|how)'s\b/gi, "$1 is"],
  [/\bi'm\b/gi, "I am"],
  [/\bi've\b/gi, "I have"],
  [/\bi'll\b/gi, "I will"],
  [/\bi'd\b/gi, "I would"],
  [/\blet's\b/gi, "let us"],
  [/\bwhats\b/gi, "what is"],
  [/\bdont\b/gi, "don't"],
  [/\bim\b/gi, "I am"],
  [/\bive\b/gi, "I have"],
  [/’/g, "'"],
];

const politeStart =
  /^(?:(?:hey|hi|hello|ok(?:ay)?|so|um+|uh+|cairn|yo)[,!]?\s+)*(?:(?:please|pls|plz|kindly)\s+)?(?:(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?|i(?:'d| would) like (?:you )?to\s+|i want you to\s+|(?:go ahead and|just)\s+)?(?:(?:please|pls|plz)\s+)?/i;
const politeEnd = /(?:[,\s]+(?:please|pls|plz|thanks|thank you|thx|for me|ok|okay|if you can|if possible))+$/i;

function normalise(text: string): string {
  let said = text.trim().replace(/\s+/g, " ");
  for (const [pattern, replacement] of contractions) said = said.replace(pattern, replacement);
  said = said.replace(/[.!?…]+$/u, "").trim();
  said = said.replace(politeStart, "").replace(politeEnd, "").trim();
  return said.replace(/[.!?…]+$/u, "").trim();
}

// ---------------------------------------------------------------------------------------------
// Step 2: parts that stand anywhere

type Priority = "low" | "normal" | "high" | "urgent";

const priorityWords: Record<string, Priority> = {
  low: "low",
  lowest: "low",
  minor: "low",
  normal: "normal",
  medium: "normal",
  regular: "normal",
  high: "high",
  important: "high",
  top: "urgent",
  highest: "urgent",
  urgent: "urgent",
  critical: "urgent",
  asap: "urgent",
};

const priorityLevel = "low|lowest|minor|normal|medium|regular|high|important|top|highest|urgent|critical";

/** Priority phrases anywhere in a sentence ("high priority", "priority: low", "p1"). */
const priorityAnywhere = new RegExp(
  [
    String.raw`(?:,\s*|\s+|^)(?:with\s+|at\s+|as\s+)?(?:an?\s+)?(${priorityLevel})[-\s]priority\b`,
    String.raw`(?:,\s*|\s+|^)(?:with\s+)?priority\s*(?:is\s+|of\s+|to\s+|=|:)?\s*(${priorityLevel}|[0-4])\b`,
    String.raw`(?:,\s*|\s+|^)\(?(p[0-4])\)?(?=$|[\s,])`,
    String.raw`(?:,\s*|\s+|^)(!{2,})(?=$|\s)`,
  ].join("|"),
  "i",
);
/** Single words that mean a priority only at an edge of the request ("urgent: …", "…, asap"). */
const priorityAtEnd = /(?:,\s*|\s+|^)\(?(asap|urgent(?:ly)?|important|critical)\)?$/i;
const priorityAtStart =
  /^(?:an?\s+)?(urgent|important|critical|high[-\s]priority|low[-\s]priority)(?:\s+(?:task|todo|to-do|item|reminder))?\s*(?::|-|,)?\s+/i;

function priorityOf(word: string): Priority {
  const lower = word
    .toLowerCase()
    .replace(/[-\s]priority$/, "")
    .replace(/ly$/, "");
  if (/^!{2,}$/.test(lower)) return "urgent";
  const level = /^p?([0-4])$/.exec(lower);
  if (level) return (["urgent", "urgent", "high", "normal", "low"] as const)[Number(level[1])] ?? "normal";
  return priorityWords[lower] ?? "normal";
}

/** Takes a priority out of a request: the priority, and the request without it. */
function takePriority(text: string): { rest: string; priority?: Priority } {
  const start = priorityAtStart.exec(text);
  if (start) return { rest: text.slice(start[0].length), priority: priorityOf(start[1] ?? "") };
  const anywhere = priorityAnywhere.exec(text);
  if (anywhere) {
    const word = anywhere.slice(1).find((group) => group !== undefined) ?? "";
    const rest = `${text.slice(0, anywhere.index)} ${text.slice(anywhere.index + anywhere[0].length)}`;
    return { rest: tidy(rest), priority: priorityOf(word) };
  }
  const end = priorityAtEnd.exec(text);
  if (end) return { rest: tidy(text.slice(0, end.index)), priority: priorityOf(end[1] ?? "") };
  return { rest: text };
}

/** Takes a due date out of a request: the date as `parseDue` reads it, and the request without it. */
function takeDue(text: string): { rest: string; due?: string } {
  const found = findDuePhrase(text);
  if (!found) return { rest: text };
  return { rest: tidy(`${text.slice(0, found.start)} ${text.slice(found.end)}`), due: found.due };
}

function tidy(text: string): string {
  return text
    .replace(/\s+/g, " ")
    .replace(/\s+([,;:])/g, "$1")
    .replace(/^[\s,;:-]+|[\s,;:-]+$/g, "")
    .trim();
}

/** Strips quotes around a title the user quoted. */
function unquote(text: string): string {
  const trimmed = text.trim();
  const quoted = /^["'“‘`](.*)["'”’`]$/.exec(trimmed);
  return (quoted?.[1] ?? trimmed).trim();
}

// ---------------------------------------------------------------------------------------------
// Step 3: what is asked, and of which task

const pronouns = new Set([
  "it",
  "that",
  "this",
  "that one",
  "this one",
  "the one",
  "them",
  "those",
  "these",
  "that task",
  "this task",
  "the task",
  "the last one",
  "the last task",
  "the same",
]);

/** A reference to a task, as people make them ("the dentist thing", "my tax return task", "it"). */
function cleanRef(ref: string): string {
  return unquote(
    tidy(ref)
      .replace(
        /^(?:the|my|that|this|our|a)\s+(?:task|todo|to-do|item|reminder)\s+(?:to\s+|about\s+|called\s+|named\s+)?/i,
        "",
      )
      .replace(/^(?:the\s+)?(?:task|todo|to-do|item|reminder)\s+(?:to\s+|about\s+|called\s+|named\s+)?/i, "")
      .replace(/^(?:the|my|our|that|this)\s+/i, "")
      .replace(/\s+(?:task|todo|to-do|item|thing|stuff|one|reminder|job|errand)$/i, "")
      .replace(/\s+(?:from|on|off|in)\s+(?:my|the)\s+(?:list|tasks|todo list|to-do list|todos)$/i, "")
      .replace(/\s+(?:right now|now|at the moment|currently|today|already|again|too)$/i, "")
      .replace(/^to\s+/i, ""),
  );
}

/** "the first one", "number 2", "task 3", "#2": a position in the last list shown. */
const pickWords = String.raw`\d{1,2}|first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|one|two|three|four|five`;
const pickRef = new RegExp(
  String.raw`^(?:the\s+)?(?:number\s+|option\s+|task\s+|item\s+|#)?(${pickWords})(?:\s+(?:one|task|item))?$`,
  "i",
);

function pickIndex(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (ordinals[word.toLowerCase()] ?? 0);
}

function refIntent(toolName: string, ref: string, extra: Record<string, unknown> = {}): Intent | null {
  const raw = tidy(ref).toLowerCase();
  if (pronouns.has(raw)) return { kind: "pronoun", tool: toolName, input: extra };
  const picked = pickRef.exec(raw);
  if (picked) return { kind: "pick", index: pickIndex(picked[1] ?? ""), tool: toolName, input: extra };
  const cleaned = cleanRef(ref);
  if (!cleaned) return null;
  if (pronouns.has(cleaned.toLowerCase())) return { kind: "pronoun", tool: toolName, input: extra };
  return tool(toolName, { task: cleaned, ...extra });
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

/** One kind of request: `said` is the request without its polite words, `lower` the same in lower case. */
type Recogniser = (said: string, lower: string, original: string) => Intent | null;

const conversation: Recogniser = (_said, said) => {
  // "sure, do it" and "sure do it" are one answer.
  const lower = said.replace(/,/g, "").replace(/\s+/g, " ");
  if (
    lower === "" ||
    /^(help|commands|what can you do|how do i use this|how does this work|\?|options|usage)$/.test(lower)
  ) {
    return { kind: "answer", text: identity };
  }
  if (
    /^(who|what) are you\b|^are you (an? )?(ai|bot|robot|llm|language model|gpt|chatgpt|claude|human|real|person)\b|^what (model|llm|ai) (is this|are you|do you use)|^which model\b|^what is your name/.test(
      lower,
    )
  ) {
    return { kind: "answer", text: identity };
  }
  if (/^(hi|hello|hey|hiya|howdy|good (morning|afternoon|evening))( there)?$/.test(lower)) {
    return { kind: "answer", text: `Hello. ${identity}` };
  }
  if (
    /^(thanks|thank you|thx|ty|cheers|great|perfect|awesome|nice|cool)\b/.test(lower) &&
    lower.split(" ").length <= 4
  ) {
    return { kind: "answer", text: "You're welcome." };
  }
  if (
    /^(y|yes|yep|yeah|yup|sure|ok|okay|confirm|confirmed|correct|right|do it|go ahead|yes please|please do|proceed|affirmative|absolutely|of course)( (please|do it|go ahead|delete (it|them)|do that|that is right|i am sure|confirm))*$/.test(
      lower,
    )
  ) {
    return { kind: "confirm" };
  }
  if (
    /^(n|no|nope|nah|cancel|stop|never mind|nevermind|don't|do not|abort|no thanks|keep (it|them)|leave (it|them))( (don't|do not) (do|delete) (it|that|them)| thanks| keep (it|them)| cancel)*$/.test(
      lower,
    )
  ) {
    return { kind: "cancel" };
  }
  const pick =
    /^(?:(?:i meant|i mean|pick|choose|take)\s+)?(?:the\s+)?(?:number\s+|option\s+|#)?(\d{1,2}|first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th|one|two|three|four|five)(?:\s+one)?$/.exec(
      lower,
    );
  if (pick) return { kind: "pick", index: pickIndex(pick[1] ?? "") };
  return null;
};

const remember: Recogniser = (said) => {
  const match =
    /^(?:remember|note|memorize|memorise|save a note|make a note|note down|keep in mind|write down|jot down|record|don't let me forget|fyi|for the record|note to self|remember this)(?:\s+that)?[:,]?\s+(.+)$/i.exec(
      said,
    );
  if (!match) return null;
  const content = (match[1] ?? "").trim();
  if (!content) return null;
  const kind = /\b(decided|decision|we will|we'll go with|agreed|chose|chosen|going with)\b/i.test(content)
    ? "decision"
    : /\b(i prefer|prefers?|i like|i'd rather|i would rather|always use|never use|my favou?rite)\b/i.test(content)
      ? "preference"
      : /^(?:remember|note|keep in mind|don't let me forget|for the record)\s+that\b/i.test(said)
        ? "fact"
        : "note";
  return tool("remember", { content, kind });
};

/** "how many tasks do I have", "how many are overdue": a list whose answer is its count. */
const countTasks: Recogniser = (_said, lower) => {
  if (!/^(how many|count|number of|total number of)\b/.test(lower)) return null;
  if (
    !/\b(tasks?|todos?|to-dos?|things|items|left|open|overdue|due|done|finished|completed|pending|in progress|on my (list|plate)|do i have)\b/.test(
      lower,
    )
  ) {
    return null;
  }
  return tool("list_tasks", { ...listFilter(lower), limit: 1 }, "count");
};

const addVerbs = String.raw`add(?:\s+(?:a|an|the))?(?:\s+new)?(?:\s+(?:task|todo|to-do|item|reminder))?(?:\s+(?:to|for))?|create(?:\s+(?:a|an))?(?:\s+new)?\s+(?:task|todo|to-do|reminder)(?:\s+(?:to|for))?|new\s+(?:task|todo|to-do)|(?:a\s+)?(?:task|todo|to-do)|remind me(?:\s+to)?|reminder(?:\s+to)?|set a reminder(?:\s+to)?|don't forget(?:\s+to)?|do not forget(?:\s+to)?|i (?:need|have|got|gotta|must|should|ought) to|i gotta|i need|i have to|i must|i should|we need to|need to|have to|gotta|put|schedule|plan to|track|i will|i am going to|i plan to|i want to`;
const addPattern = new RegExp(String.raw`^(?:${addVerbs})[:,]?\s+(.+)$`, "i");
/** "add an urgent task: fix the sink" and "add a high priority task to call the bank". */
const addWithPriority = new RegExp(
  String.raw`^(?:add|create|new)\s+(?:an?\s+)?(${priorityLevel}|high[-\s]priority|low[-\s]priority)\s+(?:priority\s+)?(?:task|todo|to-do|item|reminder)(?:\s+to)?[:,]?\s+(.+)$`,
  "i",
);

const add: Recogniser = (said) => {
  let priority: Priority | undefined;
  let body: string | undefined;
  const withPriority = addWithPriority.exec(said);
  if (withPriority) {
    priority = priorityOf(withPriority[1] ?? "");
    body = withPriority[2];
  } else {
    const plain = addPattern.exec(said);
    // "put X on my list", "add X to my tasks"; not "put the report off until monday".
    if (
      !plain ||
      (/^put\b/i.test(said) && !/\b(?:on|in|to)\s+(?:my|the)\s+(?:\w+\s+)?(?:list|tasks|todo|to-do)/i.test(said))
    ) {
      return null;
    }
    body = plain[1];
  }
  const parts = titleParts(body ?? "");
  if (!parts.title) return null;
  if (/^(?:a|an|new|the)?\s*(?:task|todo|to-do|item|reminder|something)$/i.test(parts.title)) {
    return { kind: "answer", text: 'What should the task say? For example: "add buy milk tomorrow".' };
  }
  return tool("add_task", {
    title: parts.title,
    ...(parts.due ? { due: parts.due } : {}),
    ...((parts.priority ?? priority) ? { priority: parts.priority ?? priority } : {}),
  });
};

/** A new task's title, with its due date and priority taken out from wherever they stood. */
function titleParts(text: string): { title: string; due?: string; priority?: Priority } {
  const withoutPriority = takePriority(text.trim());
  const withoutDue = takeDue(withoutPriority.rest);
  let rest = withoutDue.rest;
  // A priority said after the date ("… friday, high priority") or before it.
  const again = withoutPriority.priority === undefined ? takePriority(rest) : { rest };
  rest = again.rest;
  const title = unquote(
    tidy(
      rest
        .replace(
          /\s+(?:to|on|onto|in)\s+(?:my|the)\s+(?:\w+\s+)?(?:list|tasks|todo list|to-do list|todos|to-dos|agenda)$/i,
          "",
        )
        .replace(/^(?:an?\s+)?(?:task|todo|to-do|reminder)\s*(?::|to\b|-)\s*/i, "")
        .replace(/^(?:that\s+)?i\s+(?:need|have|must|should)\s+to\s+/i, "")
        .replace(/^to\s+/i, ""),
    ),
  );
  const priority = withoutPriority.priority ?? ("priority" in again ? (again.priority as Priority) : undefined);
  return { title, ...(withoutDue.due ? { due: withoutDue.due } : {}), ...(priority ? { priority } : {}) };
}

const destroy: Recogniser = (said, lower) => {
  const noLonger =
    /^(?:i\s+)?(?:don't|do not|no longer)\s+(?:need|have)\s+to\s+(.+?)(?:\s+any\s?more)?$/i.exec(said) ??
    /^(.+?)\s+is\s+(?:no longer needed|not needed any\s?more|cancell?ed|off)$/i.exec(said);
  if (noLonger) return refIntent("delete_task", noLonger[1] ?? "");
  const match =
    /^(?:delete|remove|drop|trash|erase|get rid of|clear|cancel|scrap|bin|forget about|forget|cross out|wipe)\s+(?!that\b)(.+)$/i.exec(
      said,
    );
  if (!match) return null;
  const what = (match[1] ?? "").toLowerCase();
  if (/^(?:the\s+)?due date\b/.test(what)) return null; // "remove the due date of X" is an update
  if (
    /^(all|every|everything|the)?\s*(my\s+)?(completed|finished|done|old)\s*(tasks?|ones|items|todos)?\b|^(all|everything|every task|all tasks|all the tasks|all my tasks)\b/.test(
      what,
    )
  ) {
    const filter = /\b(done|finished|completed|complete|old)\b/.test(what)
      ? { status: "done", ...(completedWindow(what) ?? {}) }
      : listFilter(what);
    return tool("delete_task", { filter });
  }
  if (/^(?:cancel|stop)$/i.test(lower)) return null;
  return refIntent("delete_task", match[1] ?? "");
};

const doneWords =
  "done|complete|completed|finished|checked off|ticked off|crossed off|sorted|taken care of|dealt with|handled|sent|paid|submitted|filed|booked|ordered|bought|called|fixed|cleaned|returned|renewed|signed|mailed|posted|shipped|delivered";

const complete: Recogniser = (said) => {
  if (questionStart.test(said)) return null;
  const bulk =
    /^(?:mark|complete|finish|check off|tick off|close|cross off)\s+(all|everything|every task|all tasks|all my tasks)(.*?)(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$/i.exec(
      said,
    );
  if (bulk) {
    const filter = listFilter(`${bulk[2] ?? ""}`.toLowerCase());
    filter.status = "open";
    return tool("complete_task", { filter });
  }
  if (/\b(?:in progress|started|pending|not done|undone|incomplete|todo)$/i.test(said)) return null;
  const one =
    new RegExp(String.raw`^(?:mark|set|flag)\s+(.+?)\s+(?:as\s+)?(?:${doneWords})$`, "i").exec(said) ??
    /^(?:complete|finish|check off|tick off|close|cross off|cross|check|tick)\s+(.+?)(?:\s+off)?(?:\s+(?:as\s+)?(?:done|complete|completed|finished))?$/i.exec(
      said,
    ) ??
    /^(?:(?:i|we)\s+)?(?:have\s+|just\s+|already\s+|finally\s+)*(?:finished|completed|did|done|ticked off|checked off|crossed off|sorted|paid|sent|submitted|called|bought|fixed)\s+(?:with\s+)?(.+?)(?:\s+(?:already|today|just now|now))?$/i.exec(
      said,
    ) ??
    /^(?:(?:i|we)\s+)?(?:have\s+|just\s+|finally\s+)*got\s+(.+?)\s+done$/i.exec(said) ??
    /^(?:i\s+am\s+|we\s+are\s+)?(?:done|finished|through)\s+with\s+(.+)$/i.exec(said) ??
    new RegExp(
      String.raw`^(.+?)\s+(?:is|are|was|has been|have been)\s+(?:now\s+|already\s+|finally\s+)?(?:${doneWords})$`,
      "i",
    ).exec(said) ??
    /^(?:done|finished|completed)[:,-]?\s+(.+)$/i.exec(said) ??
    new RegExp(String.raw`^(.+?)\s*[:,-]?\s+(?:${doneWords})$`, "i").exec(said);
  if (!one) return null;
  const ref = one[1] ?? "";
  // "I did the dishes" completes "do the dishes"; "I paid the rent" completes "pay rent": the verb stays out.
  const pastVerb =
    /^(?:(?:i|we)\s+)?(?:have\s+|just\s+|already\s+|finally\s+)*(paid|sent|submitted|called|bought|fixed)\s/i.exec(
      said,
    );
  if (pastVerb) {
    const verb = pastVerb[1]?.toLowerCase() ?? "";
    const base: Record<string, string> = {
      paid: "pay",
      sent: "send",
      submitted: "submit",
      called: "call",
      bought: "buy",
      fixed: "fix",
    };
    return refIntent("complete_task", `${base[verb] ?? verb} ${cleanRef(ref)}`);
  }
  return refIntent("complete_task", ref);
};

const dueChange = "(?:to|for|until|till|til|on|by|due|due on|due by)";

/** A question is a list or a lookup, never an edit ("what is due tomorrow?"). */
const questionStart =
  /^(what|which|who|whom|whose|where|why|how|is|are|was|were|does|did|do i|have i|any|anything|show|list)\b/i;

const update: Recogniser = (said) => {
  if (questionStart.test(said)) return null;
  let match: RegExpExecArray | null;
  // Rename.
  match =
    /^(?:rename|retitle)\s+(.+?)\s+(?:to|as|into)\s+(.+)$/i.exec(said) ??
    /^change\s+(?:the\s+)?(?:title|name)\s+of\s+(.+?)\s+to\s+(.+)$/i.exec(said) ??
    /^change\s+(.+?)\s+to\s+say\s+(.+)$/i.exec(said);
  if (match) return refIntent("update_task", match[1] ?? "", { new_title: unquote(match[2] ?? "") });

  // Clear the due date.
  match =
    /^(?:remove|clear|drop|delete|unset)\s+(?:the\s+)?(?:due date|deadline|date)\s+(?:of|from|on|for)\s+(.+)$/i.exec(
      said,
    ) ?? /^(.+?)\s+(?:has|needs)\s+no\s+(?:due date|deadline)$/i.exec(said);
  if (match) return refIntent("update_task", match[1] ?? "", { due: null });

  // Postpone by a span ("postpone X by a week", "push X back 2 days", "delay X a week").
  match =
    /^(?:postpone|push|push back|delay|defer|move|bump|shift|snooze|put off)\s+(.+?)\s+(?:back\s+|out\s+|off\s+)?(?:by|for)\s+(.+)$/i.exec(
      said,
    ) ??
    /^(?:postpone|push back|delay|defer|put off)\s+(.+?)\s+((?:an?|one|two|three|four|five|six|seven|\d{1,3}|a couple of|a few)\s+(?:days?|weeks?|months?))$/i.exec(
      said,
    ) ??
    /^(?:push|move|bump)\s+(.+?)\s+back\s+((?:an?|one|two|three|four|five|six|seven|\d{1,3}|a couple of|a few)\s+(?:days?|weeks?|months?))$/i.exec(
      said,
    );
  if (match && parseDurationDays(match[2] ?? "") !== null) {
    return refIntent("update_task", match[1] ?? "", { postpone_by: (match[2] ?? "").toLowerCase() });
  }

  // A new due date ("move X to friday", "change the due date of X to december 20", "X is due monday").
  match =
    /^(?:change|set|update|move|make)\s+(?:the\s+)?(?:due date|deadline|date)\s+(?:of|for|on)\s+(.+?)\s+(?:to|for|as)\s+(.+)$/i.exec(
      said,
    ) ??
    new RegExp(
      String.raw`^(?:move|reschedule|postpone|push|push back|delay|defer|bump|shift|snooze|put off|change|set)\s+(.+?)\s+${dueChange}\s+(.+)$`,
      "i",
    ).exec(said) ??
    /^(?:make|set)\s+(.+?)\s+due\s+(.+)$/i.exec(said) ??
    /^(.+?)\s+(?:is|should be|has to be|needs to be|must be)\s+(?:now\s+)?(?:due|done|finished|ready)\s+(?:on\s+|by\s+|before\s+)?(.+)$/i.exec(
      said,
    ) ??
    /^(.+?)\s+(?:is\s+)?(?:now\s+)?(?:moved|postponed|pushed)\s+to\s+(.+)$/i.exec(said);
  if (match) {
    const due = findDuePhrase(match[2] ?? "");
    if (due && tidy((match[2] ?? "").slice(0, due.start)).length <= 3) {
      return refIntent("update_task", match[1] ?? "", { due: due.due });
    }
  }

  // Priority.
  match =
    new RegExp(
      String.raw`^(?:set|change|make|update|raise|lower|bump)\s+(?:the\s+)?priority\s+(?:of|for|on)\s+(.+?)\s+to\s+(${priorityLevel}|[0-4])$`,
      "i",
    ).exec(said) ??
    new RegExp(
      String.raw`^(?:make|set|mark|flag|change|turn)\s+(.+?)\s+(?:as\s+|to\s+)?(?:an?\s+)?(${priorityLevel})(?:[-\s]priority)?$`,
      "i",
    ).exec(said) ??
    new RegExp(String.raw`^(.+?)\s+is\s+(?:now\s+)?(?:an?\s+)?(${priorityLevel})(?:[-\s]priority)?$`, "i").exec(said) ??
    new RegExp(String.raw`^(?:set|change)\s+(.+?)'?s?\s+priority\s+to\s+(${priorityLevel})$`, "i").exec(said);
  if (match && !/\b(?:done|finished|complete)$/i.test(said)) {
    return refIntent("update_task", match[1] ?? "", { priority: priorityOf(match[2] ?? "") });
  }
  match = /^(prioriti[sz]e|deprioriti[sz]e)\s+(.+)$/i.exec(said);
  if (match) {
    return refIntent("update_task", match[2] ?? "", { priority: /^de/i.test(match[1] ?? "") ? "low" : "high" });
  }

  // Started, in progress.
  match =
    /^(?:start|begin|start on|start working on|begin working on|get started on|pick up|work on)\s+(.+)$/i.exec(said) ??
    /^(?:i|we)\s+(?:am|are|have|have just|just)?\s*(?:started|began|begun|starting|working on|working|picked up|now working on|on)\s+(?:working on\s+|on\s+|with\s+)?(.+)$/i.exec(
      said,
    ) ??
    /^(?:mark|set|move|flag|put)\s+(.+?)\s+(?:as\s+|to\s+|in(?:to)?\s+)?(?:in progress|in-progress|started|doing|ongoing|wip)$/i.exec(
      said,
    ) ??
    /^(.+?)\s+is\s+(?:now\s+)?(?:in progress|in-progress|started|underway|under way|ongoing)$/i.exec(said);
  if (match) return refIntent("update_task", match[1] ?? "", { status: "in_progress" });

  // Not done after all.
  match =
    /^(?:reopen|re-open|undo|uncheck|untick|unmark|restart)\s+(.+)$/i.exec(said) ??
    /^(?:mark|set)\s+(.+?)\s+(?:as\s+)?(?:pending|todo|to do|not done|undone|incomplete|open)$/i.exec(said) ??
    /^(.+?)\s+(?:isn't|is not|wasn't|was not|is still not|still isn't)\s+(?:done|finished|complete)(?:\s+yet|\s+after all)?$/i.exec(
      said,
    );
  if (match) return refIntent("update_task", match[1] ?? "", { status: "pending" });
  return null;
};

const showOne: Recogniser = (said) => {
  const match =
    /^(?:show|open|get|view|display)\s+(?:me\s+)?(?:the\s+)?(?:details\s+(?:of|for|on)\s+)?task\s+(.+)$/i.exec(said) ??
    /^(?:details|info|information)\s+(?:of|for|on|about)\s+(.+)$/i.exec(said) ??
    /^(?:what is|what's)\s+the\s+(?:status|priority|due date|deadline)\s+(?:of|for|on)\s+(.+)$/i.exec(said) ??
    /^when\s+is\s+(.+?)\s+due$/i.exec(said) ??
    /^(?:is|are|was|has)\s+(.+?)\s+(?:been\s+)?(?:done|finished|complete|completed|overdue|late|started|in progress|due\s.+)$/i.exec(
      said,
    ) ??
    /^(?:show|open|view)\s+(?:me\s+)?(?:the\s+)?(?!(?:open|done|finished|completed|pending|overdue|urgent|next|last|new|first|all|my)\s)(.+?)\s+task$/i.exec(
      said,
    ) ??
    /^(?:tell me about|describe)\s+(?:the\s+)?task\s+(.+)$/i.exec(said);
  return match ? refIntent("get_task", match[1] ?? "") : null;
};

/** A completion window said in words ("last week", "today", "yesterday"). */
function completedWindow(text: string): { completed_since?: string; completed_until?: string } | null {
  if (/last week/.test(text)) return { completed_since: "14d", completed_until: "7d" };
  if (/this week|past week|in the last 7 days|last 7 days/.test(text)) return { completed_since: "7d" };
  if (/yesterday/.test(text)) return { completed_since: "2d", completed_until: "1d" };
  if (/today/.test(text)) return { completed_since: "1d" };
  if (/this month|past month|last 30 days/.test(text)) return { completed_since: "30d" };
  return null;
}

/** The list filters a question asks for ("what's due today?", "show high priority tasks", "everything, done ones too"). */
function listFilter(text: string): Record<string, unknown> {
  const filter: Record<string, unknown> = {};
  const withDone =
    /\b(including|incl\.?|with|and|plus|also|even)\s+(the\s+)?(done|finished|completed|closed)\b|\b(done|finished|completed) ones too\b|\beverything\b|\ball\b(?!\s+(open|pending|overdue|due|my open|the open|urgent|high))/.test(
      text,
    );
  const finishedOnly =
    !withDone &&
    /\b(done|finish|finished|completed|complete|closed|ticked off|crossed off|accomplished|achieved)\b/.test(text);
  if (finishedOnly) {
    filter.status = "done";
    Object.assign(filter, completedWindow(text) ?? {});
  } else if (/\bpending\b|not started|haven't started|have not started|yet to start/.test(text))
    filter.status = "pending";
  else if (/in progress|in-progress|started|working on|ongoing|underway/.test(text)) filter.status = "in_progress";
  else if (withDone) filter.status = "all";
  else filter.status = "open";
  if (!finishedOnly) {
    if (/overdue|\blate\b|past due|missed/.test(text)) filter.due = "overdue";
    else if (/\btoday\b|tonight/.test(text)) filter.due = "today";
    else if (/tomorrow/.test(text)) filter.due = "tomorrow";
    else if (/this week|next 7 days|\bweek\b/.test(text)) filter.due = "week";
    else if (/no (due )?date|without (a )?(due )?date|undated|no deadline/.test(text)) filter.due = "none";
  }
  const priority = /\b(urgent|important|critical|high|low|top)[-\s]?(priority\b)?/.exec(text);
  if (priority && (priority[2] || /urgent|important|critical/.test(priority[1] ?? ""))) {
    filter.priority = priorityOf(priority[1] ?? "");
  }
  const about =
    /\b(?:about|regarding|related to|for|mentioning|containing|with)\s+(?!the\s+week|today|tomorrow|me\b|this week)(?:the\s+)?["']?([a-z0-9][\w\s-]{1,40}?)["']?$/.exec(
      text,
    );
  if (about && !/\b(done|finished|completed|priority|due|date|deadline)\b/.test(about[1] ?? "")) {
    const words = (about[1] ?? "").trim();
    if (words && !/^(me|today|tomorrow|the week|this week|now|later)$/.test(words)) filter.title = words;
  }
  return filter;
}

const taskWords =
  /\b(tasks?|todos?|to-dos?|to do|things to do|list|due|overdue|late|working on|finish|finished|done|complete|completed|need to do|have to do|got to do|on my plate|agenda|left to do|should i (?:do|work on)|work on next|what is next|up next|priorit(?:y|ies)|urgent|in progress|pending|open items|backlog|schedule)\b/;

const list: Recogniser = (_said, lower) => {
  if (/^(?:what should i (?:do|work on)|what is next|what next|next task|what now)\b/.test(lower)) {
    return tool("list_tasks", { status: "open", limit: 5 });
  }
  const asks =
    /^(what|which|show|list|display|give me|tell me|do i have|have i|any|anything|is there|are there|get|see|view|print|remind me what|what else)\b/.test(
      lower,
    );
  if (asks && taskWords.test(lower)) return tool("list_tasks", listFilter(lower));
  // "what's the plan for today?", "what's left this week?"
  if (asks && /\b(plan|left|happening|on)\b/.test(lower) && /\b(today|tonight|tomorrow|this week)\b/.test(lower)) {
    return tool("list_tasks", listFilter(lower));
  }
  if (/^what is left\b/.test(lower)) return tool("list_tasks", listFilter(lower));
  if (
    /^(?:my\s+|all\s+(?:my\s+)?|open\s+|the\s+)?(tasks|todos|to-dos|todo list|to-do list|list|agenda|backlog)(?:\s+.*)?$/.test(
      lower,
    )
  ) {
    return tool("list_tasks", listFilter(lower));
  }
  return null;
};

const search: Recogniser = (said) => {
  const match =
    /^(?:search(?: my)?(?: memory| memories| notes| everything)?(?: for)?|find(?: me)?(?: anything| something| notes| memories)?(?: about| on)?|look up|lookup|look for|grep)\s+(.+)$/i.exec(
      said,
    );
  if (!match || /^find (?:my |all )?(?:tasks?|todos?)\b/i.test(said)) return null;
  return tool("search_memory", { query: unquote(match[1] ?? "") });
};

/** A question about what was recorded ("what is the wifi password?", "what did we decide about retries?"). */
const askMemory: Recogniser = (said, lower, original) => {
  const question =
    /^(what|who|whom|whose|when|where|which|why|how|is|are|was|were|did|do|does|have|has|can|could|should|tell me|remind me|any idea|do you (know|remember)|what do (you|i|we) know)\b/.test(
      lower,
    ) || /\?\s*$/.test(said);
  if (!question) return null;
  const recalled =
    /^(?:do you (?:know|remember)|what do (?:you|i|we) know about|tell me about|remind me(?: of| about)?)\s+(.+)$/i.exec(
      said,
    );
  return tool("ask_oracle", { question: recalled ? (recalled[1] ?? said) : original });
};

/** "call the bank friday": no verb of ours, but a thing to do and a date is a task to add. */
const datedTodo: Recogniser = (said) => {
  // Not a clause of a longer sentence, a question or a negation: those are not a plain thing to do.
  if (questionStart.test(said) || /[?,;]/.test(said) || /\b(?:can't|cannot|won't|don't|didn't|not)\b/i.test(said)) {
    return null;
  }
  const parts = titleParts(said);
  if (!parts.due || !parts.title || parts.title.split(" ").length < 2) return null;
  return tool("add_task", {
    title: parts.title,
    due: parts.due,
    ...(parts.priority ? { priority: parts.priority } : {}),
  });
};

const recognisers: Recogniser[] = [
  conversation,
  countTasks,
  remember,
  showOne,
  update,
  complete,
  destroy,
  add,
  list,
  search,
  datedTodo,
  askMemory,
];
