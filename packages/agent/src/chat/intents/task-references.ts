import { type Intent, tool } from "./intent";
import { tidy, unquote } from "./request-words";

/** How a request names a task: a title, a pronoun ("it") or a pick from the last list ("the second one"). */

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
export function cleanRef(ref: string): string {
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

export function pickIndex(word: string): number {
  return /^\d+$/.test(word) ? Number(word) : (ordinals[word.toLowerCase()] ?? 0);
}

export function refIntent(toolName: string, ref: string, extra: Record<string, unknown> = {}): Intent | null {
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
