import { AppError } from "./app-error";

/**
 * Due dates as people write them, one grammar for the CLI (`--due`), the REST API, the chat
 * agent's tools and the offline model's parser, which finds these phrases anywhere in a
 * sentence (`findDuePhrase`). Days are UTC days; a date without a time is due at the end of
 * its day.
 */

const dayMs = 86_400_000;
const weekdayShort = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const months = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** The last millisecond of the UTC day `offset` days after `now`'s. */
export function endOfDay(now: Date, offset = 0): Date {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(start + (offset + 1) * dayMs - 1);
}

/** The first millisecond of the UTC day `offset` days after `now`'s. */
export function startOfDay(now: Date, offset = 0): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + offset * dayMs);
}

const numberWords: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  "a couple of": 2,
  "a couple": 2,
  couple: 2,
  "a few": 3,
  few: 3,
};

const count = String.raw`\d{1,3}|a couple(?: of)?|a few|an?|one|two|three|four|five|six|seven|eight|nine|ten`;
const unit = "days?|weeks?|months?|wks?|hours?";
const monthName =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const dayName = "(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?";
const ordinalDay = String.raw`(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?`;

/** Every form `parseDue` reads, as one pattern (anchored by the callers). */
const dueForms = {
  /** Safe anywhere in a sentence. */
  anywhere: [
    "today|tonight|tomorrow|tmrw|(?:the )?day after tomorrow|eod|end of (?:the )?day",
    "(?:this |next )?weekend",
    "end of (?:the |this |next )?(?:week|month)",
    "(?:next|this) (?:week|month)",
    `in (?:${count}) (?:${unit})`,
    "(?:next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: next week)?",
    `next ${dayName}`,
    String.raw`(?:${monthName})\.? ${ordinalDay}(?:,? \d{4})?`,
    String.raw`${ordinalDay} (?:of )?(?:${monthName})\.?(?:,? \d{4})?`,
    String.raw`\d{4}-\d{2}-\d{2}(?:t[\d:.]+(?:z|[+-]\d{2}:?\d{2})?)?`,
    String.raw`(?:1[0-2]|0?[1-9])/(?:[12]\d|3[01]|0?[1-9])(?:/\d{2,4})?`,
    String.raw`(?:[12]\d|3[01]|1[3-9])/(?:1[0-2]|0?[1-9])(?:/\d{2,4})?`,
  ],
  /** Words too common to be a date unless a word like "on" or "by" comes first ("sat", "the 20th"). */
  afterLead: [dayName, `the ${ordinalDay}`],
};
const duePattern = [...dueForms.anywhere, ...dueForms.afterLead].join("|");
const dueExact = new RegExp(`^(?:${duePattern})$`, "i");
const lead = "(?:due|by|on|for|before|until|till|starting)";
const tail = String.raw`(?:\s+at\s+\d{1,2}(?::\d{2})?\s*(?:am|pm)?|\s+at\s+noon|\s+(?:morning|afternoon|evening|night))?`;
const findAnywhere = new RegExp(
  String.raw`(?:^|[\s,(])((?:${lead}\s+)*)(${dueForms.anywhere.join("|")})${tail}(?=$|[\s,.!?)])`,
  "gi",
);
const findAfterLead = new RegExp(
  String.raw`(?:^|[\s,(])((?:${lead}\s+)+)(${dueForms.afterLead.join("|")})${tail}(?=$|[\s,.!?)])`,
  "gi",
);

/**
 * The last due-date phrase in a sentence ("pay rent friday", "call grandma on 12/24 at 5pm",
 * "renew passport by december 20, high priority"), with the words that introduce it ("due",
 * "by", "on", "for", "before", "until"), or null. `due` is what `parseDue` reads.
 */
export function findDuePhrase(text: string): { due: string; start: number; end: number } | null {
  let found: { due: string; start: number; end: number } | null = null;
  for (const pattern of [findAnywhere, findAfterLead]) {
    for (const match of text.matchAll(pattern)) {
      const leadWords = match[1] ?? "";
      const phrase = match[2] ?? "";
      const start = (match.index ?? 0) + match[0].indexOf(leadWords + phrase);
      const end = (match.index ?? 0) + match[0].length;
      if (found === null || start > found.start) found = { due: phrase.toLowerCase(), start, end };
    }
  }
  return found;
}

/** Whether `value` is a due date `parseDue` reads (not one it would refuse). */
export function isDuePhrase(value: string): boolean {
  return dueExact.test(value.trim());
}

/** A duration as people say it ("a week", "3 days", "2w", "1 month"), in days; null when it is none. */
export function parseDurationDays(value: string): number | null {
  const text = value.trim().toLowerCase();
  const short = /^(\d{1,3})\s*([dwm])$/.exec(text);
  if (short) return Number(short[1]) * (short[2] === "w" ? 7 : short[2] === "m" ? 30 : 1);
  const spoken = new RegExp(`^(${count})\\s+(${unit})$`).exec(text);
  if (!spoken) return null;
  const amount = numberWords[spoken[1] ?? ""] ?? Number(spoken[1]);
  const kind = spoken[2] ?? "";
  if (kind.startsWith("hour")) return amount >= 12 ? 1 : 0;
  return amount * (kind.startsWith("w") ? 7 : kind.startsWith("month") ? 30 : 1);
}

function weekdayIndex(word: string): number {
  const lower = word.toLowerCase();
  return weekdayShort.findIndex((short) => lower.startsWith(short));
}

/** A month's index (0 for January) from its name or any abbreviation of three letters or more; -1 if none. */
export function monthIndex(word: string): number {
  const lower = word.toLowerCase().replace(/\.$/, "");
  return months.findIndex((name) => name.startsWith(lower.slice(0, 3)));
}

/** The end of the UTC day of year-month-day; the next such date from `now` when the year is not given. */
function endOfDate(now: Date, month: number, day: number, year: number | null): Date | null {
  const at = (y: number) => Date.UTC(y, month, day);
  let stamp = year === null ? at(now.getUTCFullYear()) : at(year < 100 ? 2000 + year : year);
  const check = new Date(stamp);
  if (check.getUTCMonth() !== month || check.getUTCDate() !== day) return null;
  if (year === null && stamp < startOfDay(now).getTime()) stamp = at(now.getUTCFullYear() + 1);
  return endOfDay(new Date(stamp));
}

/**
 * A due date as people write it: "today", "tomorrow", "in 3 days", "in a couple of weeks",
 * a weekday ("friday": the next one; "next friday": the one after this week's), "next week",
 * "this weekend", "end of the month", "december 20", "20 dec 2026", "12/24" (month/day; a
 * first number over 12 is the day), "the 20th", an ISO date (due at the end of that day) or
 * an ISO date-time. Returns an ISO time.
 */
export function parseDue(value: string, now: Date): string {
  const due = readDue(value, now);
  if (due === null) {
    throw new AppError("invalid_input", `due: "${value}" is not a date`, {
      hint: 'Use "today", "tomorrow", "in 3 days", a weekday, "december 20", or an ISO date ("2026-12-01").',
    });
  }
  return due.toISOString();
}

function readDue(value: string, now: Date): Date | null {
  const text = value.trim().toLowerCase().replace(/\s+/g, " ");
  if (/^(today|tonight|eod|end of (the )?day)$/.test(text)) return endOfDay(now);
  if (/^(tomorrow|tmrw|tmr)$/.test(text)) return endOfDay(now, 1);
  if (/^(the )?day after tomorrow$/.test(text)) return endOfDay(now, 2);
  if (text === "next week") return endOfDay(now, 7);
  if (text === "this week" || /^end of (the |this )?week$/.test(text)) return endOfDay(now, daysUntil(now, 5, true));
  if (text === "end of next week") return endOfDay(now, daysUntil(now, 5, true) + 7);
  if (/^(this )?weekend$/.test(text)) return endOfDay(now, daysUntil(now, 6, true));
  if (text === "next weekend") return endOfDay(now, daysUntil(now, 6, true) + 7);
  if (text === "next month") return endOfDate(now, (now.getUTCMonth() + 1) % 12, 1, nextMonthYear(now));
  if (/^end of (the |this )?month$/.test(text)) return lastDayOfMonth(now, 0);
  if (text === "end of next month") return lastDayOfMonth(now, 1);
  const inSome = /^in (.+)$/.exec(text);
  if (inSome) {
    const days = parseDurationDays(inSome[1] ?? "");
    return days === null ? null : endOfDay(now, days);
  }
  const weekday = new RegExp(`^(next |this |on )?(${dayName})( next week)?$`).exec(text);
  if (weekday) {
    const index = weekdayIndex(weekday[2] ?? "");
    const ahead = (index - now.getUTCDay() + 7) % 7 || 7;
    const later = weekday[1] === "next " || weekday[3] !== undefined;
    // "next friday" said on a monday means the friday of next week, not this one.
    return endOfDay(now, later && ahead < 7 && (index > now.getUTCDay() || index === 0) ? ahead + 7 : ahead);
  }
  const monthDay = new RegExp(`^(${monthName})\\.? (${ordinalDay})(?:,? (\\d{4}))?$`).exec(text);
  if (monthDay)
    return endOfDate(now, monthIndex(monthDay[1] ?? ""), Number.parseInt(monthDay[2] ?? "", 10), year(monthDay[3]));
  const dayMonth = new RegExp(`^(${ordinalDay}) (?:of )?(${monthName})\\.?(?:,? (\\d{4}))?$`).exec(text);
  if (dayMonth)
    return endOfDate(now, monthIndex(dayMonth[2] ?? ""), Number.parseInt(dayMonth[1] ?? "", 10), year(dayMonth[3]));
  const theDay = new RegExp(`^the (${ordinalDay})$`).exec(text);
  if (theDay) {
    const day = Number.parseInt(theDay[1] ?? "", 10);
    const thisMonth = endOfDate(now, now.getUTCMonth(), day, now.getUTCFullYear());
    if (thisMonth && thisMonth.getTime() >= now.getTime()) return thisMonth;
    return endOfDate(now, (now.getUTCMonth() + 1) % 12, day, nextMonthYear(now));
  }
  const slashed = /^(\d{1,2})\/(\d{1,2})(?:\/(\d{2,4}))?$/.exec(text);
  if (slashed) {
    const first = Number(slashed[1]);
    const second = Number(slashed[2]);
    const [month, day] = first > 12 ? [second, first] : [first, second];
    return endOfDate(now, month - 1, day, year(slashed[3]));
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = Date.parse(`${text}T00:00:00Z`);
    return Number.isFinite(day) ? endOfDay(new Date(day)) : null;
  }
  if (/^\d{4}-\d{2}-\d{2}t/.test(text)) {
    const at = Date.parse(value.trim());
    return Number.isFinite(at) ? new Date(at) : null;
  }
  return null;
}

function year(text: string | undefined): number | null {
  return text === undefined ? null : Number(text);
}

function nextMonthYear(now: Date): number {
  return now.getUTCMonth() === 11 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
}

/** Days from `now` to the next `weekday` (0 sunday … 6 saturday); today itself counts when `includeToday`. */
function daysUntil(now: Date, weekday: number, includeToday: boolean): number {
  const ahead = (weekday - now.getUTCDay() + 7) % 7;
  return ahead === 0 && !includeToday ? 7 : ahead;
}

function lastDayOfMonth(now: Date, monthsAhead: number): Date {
  return endOfDay(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + monthsAhead + 1, 0)));
}
