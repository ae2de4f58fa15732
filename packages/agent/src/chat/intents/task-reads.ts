import { priorityOf } from "./due-and-priority";
import { type Recogniser, tool } from "./intent";
import { refIntent } from "./task-references";

/** Step 3, the requests that read tasks: count, show one, list with filters. */

/** "how many tasks do I have", "how many are overdue": a list whose answer is its count. */
export const countTasks: Recogniser = (_said, lower) => {
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

/** A question is a list or a lookup, never an edit ("what is due tomorrow?"). */
export const questionStart =
  /^(what|which|who|whom|whose|where|why|how|is|are|was|were|does|did|do i|have i|any|anything|show|list)\b/i;

export const showOne: Recogniser = (said) => {
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
export function completedWindow(text: string): { completed_since?: string; completed_until?: string } | null {
  if (/last week/.test(text)) return { completed_since: "14d", completed_until: "7d" };
  if (/this week|past week|in the last 7 days|last 7 days/.test(text)) return { completed_since: "7d" };
  if (/yesterday/.test(text)) return { completed_since: "2d", completed_until: "1d" };
  if (/today/.test(text)) return { completed_since: "1d" };
  if (/this month|past month|last 30 days/.test(text)) return { completed_since: "30d" };
  return null;
}

/** The list filters a question asks for ("what's due today?", "show high priority tasks", "everything, done ones too"). */
export function listFilter(text: string): Record<string, unknown> {
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

export const list: Recogniser = (_said, lower) => {
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
