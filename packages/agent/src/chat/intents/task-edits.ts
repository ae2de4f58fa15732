import { findDuePhrase, parseDurationDays } from "@cairn/core/due-date";
import { type Priority, priorityLevel, priorityOf, titleParts } from "./due-and-priority";
import { type Recogniser, tool } from "./intent";
import { tidy, unquote } from "./request-words";
import { completedWindow, listFilter, questionStart } from "./task-reads";
import { cleanRef, refIntent } from "./task-references";

/** Step 3, the requests that change tasks: add, delete, complete, update (start, postpone, rename, re-prioritise). */

const addVerbs = String.raw`add(?:\s+(?:a|an|the))?(?:\s+new)?(?:\s+(?:task|todo|to-do|item|reminder))?(?:\s+(?:to|for))?|create(?:\s+(?:a|an))?(?:\s+new)?\s+(?:task|todo|to-do|reminder)(?:\s+(?:to|for))?|new\s+(?:task|todo|to-do)|(?:a\s+)?(?:task|todo|to-do)|remind me(?:\s+to)?|reminder(?:\s+to)?|set a reminder(?:\s+to)?|don't forget(?:\s+to)?|do not forget(?:\s+to)?|i (?:need|have|got|gotta|must|should|ought) to|i gotta|i need|i have to|i must|i should|we need to|need to|have to|gotta|put|schedule|plan to|track|i will|i am going to|i plan to|i want to`;

const addPattern = new RegExp(String.raw`^(?:${addVerbs})[:,]?\s+(.+)$`, "i");

/** "add an urgent task: fix the sink" and "add a high priority task to call the bank". */
const addWithPriority = new RegExp(
  String.raw`^(?:add|create|new)\s+(?:an?\s+)?(${priorityLevel}|high[-\s]priority|low[-\s]priority)\s+(?:priority\s+)?(?:task|todo|to-do|item|reminder)(?:\s+to)?[:,]?\s+(.+)$`,
  "i",
);

export const add: Recogniser = (said) => {
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

export const destroy: Recogniser = (said, lower) => {
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

export const complete: Recogniser = (said) => {
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

export const update: Recogniser = (said) => {
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

/** "call the bank friday": no verb of ours, but a thing to do and a date is a task to add. */
export const datedTodo: Recogniser = (said) => {
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
