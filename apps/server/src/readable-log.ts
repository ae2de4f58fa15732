/**
 * The server's log for a person at a terminal (`npm start`): one short line per request,
 * `18:40:03  200  GET /api/search  3.2 ms`, and other records as `level message key=value`.
 * pino still writes JSON (the production format, `CAIRN_LOG_FORMAT=json`); this turns each
 * line of it into text as it is written, without a worker thread or another dependency.
 */

const levels: Record<number, string> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };
/** Fields every record has, shown by their place in the line rather than as key=value. */
const known = new Set(["level", "time", "pid", "hostname", "msg", "reqId", "method", "route", "status", "ms", "user"]);

function clock(time: unknown): string {
  const at = typeof time === "number" ? new Date(time) : new Date();
  return at.toTimeString().slice(0, 8);
}

function value(field: unknown): string {
  if (field === null || typeof field !== "object") return String(field);
  const error = field as { message?: unknown; type?: unknown };
  if (typeof error.message === "string") return `${String(error.type ?? "Error")}: ${error.message}`;
  return JSON.stringify(field);
}

/** One pino JSON line as a readable line (the line itself when it is not JSON). */
export function readableLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = clock(record.time);
  if (record.msg === "request") {
    const status = String(record.status ?? "");
    return `${time}  ${status}  ${String(record.method ?? "")} ${String(record.route ?? "")}  ${String(record.ms ?? "")} ms`;
  }
  const level = levels[Number(record.level)] ?? "info";
  const extra = Object.entries(record)
    .filter(([key]) => !known.has(key))
    .map(([key, field]) => `${key}=${value(field)}`);
  return [`${time}  ${level.padEnd(5)}  ${String(record.msg ?? "")}`, ...extra].join("  ");
}

/** A destination for pino that writes readable lines to `write` (stdout by default). */
export function readableLogStream(write: (text: string) => void = (text) => process.stdout.write(text)) {
  let pending = "";
  return {
    write(chunk: string): void {
      pending += chunk;
      let end = pending.indexOf("\n");
      while (end !== -1) {
        write(`${readableLine(pending.slice(0, end))}\n`);
        pending = pending.slice(end + 1);
        end = pending.indexOf("\n");
      }
    },
  };
}
