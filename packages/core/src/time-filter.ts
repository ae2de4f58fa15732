import { AppError } from "./app-error";

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * `--since` / `--until` values: a duration back from now ("30m", "3h", "2d",
 * "1w") or an ISO date or date-time. Returns an ISO time.
 */
export function parseTimeFilter(value: string, now: Date, field = "since"): string {
  const trimmed = value.trim();
  const relative = /^(\d+)\s*([mhdw])$/i.exec(trimmed);
  if (relative) {
    const amount = Number(relative[1]);
    const unit = units[(relative[2] ?? "d").toLowerCase()] ?? units.d ?? 86_400_000;
    return new Date(now.getTime() - amount * unit).toISOString();
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const parsed = Date.parse(trimmed);
    if (Number.isFinite(parsed)) return new Date(parsed).toISOString();
  }
  throw new AppError("invalid_input", `${field}: "${value}" is not a time`, {
    hint: 'Use a duration back from now ("30m", "3h", "2d", "1w") or an ISO date ("2026-11-01").',
  });
}
