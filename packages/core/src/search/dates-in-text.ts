import { monthIndex } from "../due-date";
/** A span of time a question names: [from, to) as ISO times, and the words that named it. */
export interface TimeSpan {
  from: string;
  to: string;
  words: string;
}

const monthPattern =
  "(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month, day));
}

function span(from: Date, to: Date, words: string): TimeSpan {
  return { from: from.toISOString(), to: to.toISOString(), words };
}

const dayMs = 86_400_000;

/**
 * The spans of time a text names, in the order they appear: a day ("7 July 2023", "July 7, 2023",
 * "2023-07-07"), a month ("May 2023", "in May"), a year ("in 2022"), or a span relative to `now`
 * ("yesterday", "last week", "this month", "3 days ago"). A month without a year is the latest one
 * not after `now`.
 */
export function timeSpansIn(text: string, now: Date): TimeSpan[] {
  const found: { at: number; span: TimeSpan }[] = [];
  const lower = text.toLowerCase();
  const taken: [number, number][] = [];
  const free = (start: number, end: number) => !taken.some(([from, to]) => start < to && end > from);
  const add = (match: RegExpExecArray, value: TimeSpan | null) => {
    if (!value || !free(match.index, match.index + match[0].length)) return;
    taken.push([match.index, match.index + match[0].length]);
    found.push({ at: match.index, span: value });
  };
  const dayOf = (year: number, month: number, day: number, words: string) =>
    month < 0 || day < 1 || day > 31 ? null : span(utc(year, month, day), utc(year, month, day + 1), words);

  for (const match of lower.matchAll(/\b(\d{4})-(\d{2})-(\d{2})\b/g)) {
    add(match, dayOf(Number(match[1]), Number(match[2]) - 1, Number(match[3]), match[0]));
  }
  for (const match of lower.matchAll(
    new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${monthPattern}\\.?(?:,\\s*|\\s+)(\\d{4})\\b`, "g"),
  )) {
    add(match, dayOf(Number(match[3]), monthIndex(match[2] ?? ""), Number(match[1]), match[0]));
  }
  for (const match of lower.matchAll(
    new RegExp(`\\b${monthPattern}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,\\s*|\\s+)(\\d{4})\\b`, "g"),
  )) {
    add(match, dayOf(Number(match[3]), monthIndex(match[1] ?? ""), Number(match[2]), match[0]));
  }
  for (const match of lower.matchAll(new RegExp(`\\b${monthPattern}\\.?,?\\s+(\\d{4})\\b`, "g"))) {
    const month = monthIndex(match[1] ?? "");
    const year = Number(match[2]);
    add(match, month < 0 ? null : span(utc(year, month, 1), utc(year, month + 1, 1), match[0]));
  }
  // "in May" without a year: the latest May not after now ("may" alone is a verb too: only after "in").
  for (const match of lower.matchAll(new RegExp(`\\b(?:in|during|since|of)\\s+${monthPattern}\\b(?!\\s*\\d)`, "g"))) {
    const month = monthIndex(match[1] ?? "");
    if (month < 0) continue;
    const year = month <= now.getUTCMonth() ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
    add(match, span(utc(year, month, 1), utc(year, month + 1, 1), match[0]));
  }
  for (const match of lower.matchAll(/\b(?:in|during|of|since)\s+((?:19|20)\d{2})\b/g)) {
    const year = Number(match[1]);
    add(match, span(utc(year, 0, 1), utc(year + 1, 0, 1), match[0]));
  }
  const today = utc(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const relative: [RegExp, () => [Date, Date]][] = [
    [/\byesterday\b/g, () => [new Date(today.getTime() - dayMs), today]],
    [/\btoday\b/g, () => [today, new Date(today.getTime() + dayMs)]],
    [/\blast\s+week\b/g, () => [new Date(today.getTime() - 7 * dayMs), today]],
    [/\bthis\s+week\b/g, () => [new Date(today.getTime() - 6 * dayMs), new Date(today.getTime() + dayMs)]],
    [
      /\blast\s+month\b/g,
      () => [
        utc(today.getUTCFullYear(), today.getUTCMonth() - 1, 1),
        utc(today.getUTCFullYear(), today.getUTCMonth(), 1),
      ],
    ],
    [
      /\bthis\s+month\b/g,
      () => [
        utc(today.getUTCFullYear(), today.getUTCMonth(), 1),
        utc(today.getUTCFullYear(), today.getUTCMonth() + 1, 1),
      ],
    ],
    [/\blast\s+year\b/g, () => [utc(today.getUTCFullYear() - 1, 0, 1), utc(today.getUTCFullYear(), 0, 1)]],
    [/\bthis\s+year\b/g, () => [utc(today.getUTCFullYear(), 0, 1), utc(today.getUTCFullYear() + 1, 0, 1)]],
  ];
  for (const [pattern, range] of relative) {
    for (const match of lower.matchAll(pattern)) {
      const [from, to] = range();
      add(match, span(from, to, match[0]));
    }
  }
  for (const match of lower.matchAll(/\b(\d{1,3})\s+(day|week|month)s?\s+ago\b/g)) {
    const count = Number(match[1]);
    const unit = match[2] === "day" ? 1 : match[2] === "week" ? 7 : 30;
    const center = today.getTime() - count * unit * dayMs;
    const half = Math.max(1, Math.round((unit * dayMs) / 2 / dayMs)) * dayMs;
    add(match, span(new Date(center - half), new Date(center + half + dayMs), match[0]));
  }
  return found.sort((a, b) => a.at - b.at).map((each) => each.span);
}
