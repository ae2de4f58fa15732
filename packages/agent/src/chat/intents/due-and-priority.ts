import { findDuePhrase } from "@cairn/core/due-date";
import { tidy, unquote } from "./request-words";

/** Step 2: the parts of a request that can stand anywhere in it, a due date and a priority. */

export type Priority = "low" | "normal" | "high" | "urgent";

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

export const priorityLevel = "low|lowest|minor|normal|medium|regular|high|important|top|highest|urgent|critical";

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

export function priorityOf(word: string): Priority {
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

/** A new task's title, with its due date and priority taken out from wherever they stood. */
export function titleParts(text: string): { title: string; due?: string; priority?: Priority } {
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
