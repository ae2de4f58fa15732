const weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** "8 May 2023": a day as an answer says it. */
export function dayName(at: Date): string {
  return dayFormat.format(at);
}

/** "May 2023"; a month past December or before January is in the next or previous year. */
function monthName(year: number, month: number): string {
  return monthFormat.format(new Date(Date.UTC(year, month, 1)));
}

const dayMs = 86_400_000;

/**
 * When a sentence written at `written` says something happened, in words of that day: "yesterday"
 * written on 8 May 2023 is 7 May 2023, "last week" the week before 8 May 2023, "last year" 2022.
 * With no word of time, the day it was written. The first time word of the sentence decides.
 */
export function whenSaid(sentence: string, written: Date): string {
  const text = sentence.toLowerCase();
  const year = written.getUTCFullYear();
  const month = written.getUTCMonth();
  const rules: [RegExp, (match: RegExpExecArray) => string][] = [
    [/\byesterday\b/, () => dayName(new Date(written.getTime() - dayMs))],
    [/\btoday\b|\btonight\b|\bthis morning\b|\bjust now\b/, () => dayName(written)],
    [/\btomorrow\b/, () => dayName(new Date(written.getTime() + dayMs))],
    [/\b(\w+) days? ago\b/, (match) => daysAgo(match[1] ?? "", written)],
    [/\blast (week)end\b/, () => `the weekend before ${dayName(written)}`],
    [/\blast week\b/, () => `the week before ${dayName(written)}`],
    [/\bnext week\b/, () => `the week after ${dayName(written)}`],
    [/\bthis week\b/, () => `the week of ${dayName(written)}`],
    [/\blast month\b/, () => monthName(year, month - 1)],
    [/\bnext month\b/, () => monthName(year, month + 1)],
    [/\bthis month\b/, () => monthName(year, month)],
    [/\blast year\b/, () => String(year - 1)],
    [/\bnext year\b/, () => String(year + 1)],
    [/\bthis year\b/, () => String(year)],
    [
      new RegExp(`\\blast (${weekdays.join("|")})\\b`),
      (match) => `the ${capitalised(match[1] ?? "")} before ${dayName(written)}`,
    ],
    [
      new RegExp(`\\bnext (${weekdays.join("|")})\\b`),
      (match) => `the ${capitalised(match[1] ?? "")} after ${dayName(written)}`,
    ],
  ];
  let first: { at: number; answer: string } | null = null;
  for (const [pattern, answer] of rules) {
    const match = pattern.exec(text);
    if (match && (first === null || match.index < first.at)) first = { at: match.index, answer: answer(match) };
  }
  return first?.answer ?? dayName(written);
}

const numberWords = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

function daysAgo(count: string, written: Date): string {
  const days = /^\d+$/.test(count) ? Number(count) : count === "a" ? 1 : numberWords.indexOf(count);
  if (days < 0) return dayName(written);
  return dayName(new Date(written.getTime() - days * dayMs));
}

function capitalised(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
