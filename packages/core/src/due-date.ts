import { AppError } from "./app-error";

const dayMs = 86_400_000;
const weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

/** The last millisecond of the UTC day `offset` days after `now`'s. */
export function endOfDay(now: Date, offset = 0): Date {
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(start + (offset + 1) * dayMs - 1);
}

/** The first millisecond of the UTC day `offset` days after `now`'s. */
export function startOfDay(now: Date, offset = 0): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + offset * dayMs);
}

/**
 * A due date as people write it: "today", "tomorrow", "in 3 days", a weekday
 * ("friday": the next one), "next week", an ISO date (due at the end of that
 * day) or an ISO date-time. Days are UTC days. Returns an ISO time.
 */
export function parseDue(value: string, now: Date): string {
  const text = value.trim().toLowerCase();
  if (text === "today" || text === "tonight") return endOfDay(now).toISOString();
  if (text === "tomorrow") return endOfDay(now, 1).toISOString();
  if (text === "next week") return endOfDay(now, 7).toISOString();
  const inDays = /^in (\d{1,3}) (day|days|week|weeks)$/.exec(text);
  if (inDays) return endOfDay(now, Number(inDays[1]) * (inDays[2]?.startsWith("week") ? 7 : 1)).toISOString();
  const weekday = weekdays.indexOf(text.replace(/^(on|next) /, ""));
  if (weekday >= 0) {
    const ahead = (weekday - now.getUTCDay() + 7) % 7 || 7;
    return endOfDay(now, ahead).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = Date.parse(`${text}T00:00:00Z`);
    if (Number.isFinite(day)) return endOfDay(new Date(day)).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}t/.test(text)) {
    const at = Date.parse(value.trim());
    if (Number.isFinite(at)) return new Date(at).toISOString();
  }
  throw new AppError("invalid_input", `due: "${value}" is not a date`, {
    hint: 'Use "today", "tomorrow", "in 3 days", a weekday, or an ISO date ("2026-12-01").',
  });
}
