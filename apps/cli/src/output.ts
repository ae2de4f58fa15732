import { type AppError, errorCodes } from "@cairn/core/app-error";

export interface Writers {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Prints a command's result: its JSON object with --json, else the human text. */
export function printResult(writers: Writers, json: boolean, value: unknown, text: () => string): void {
  writers.stdout(json ? `${JSON.stringify(value)}\n` : `${text()}\n`);
}

/**
 * Prints an error on stderr: a fix for expected failures, a bug-report hint for
 * internal ones. Never a stack trace, never a secret.
 */
export function printError(writers: Writers, json: boolean, error: AppError, debug = false): void {
  if (json) {
    // A refusal carries its problems (SPEC: `--json` prints one object with `problems`).
    const problems = (error.details as { problems?: unknown } | undefined)?.problems;
    const body = {
      error: { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) },
      ...(Array.isArray(problems) ? { problems } : {}),
    };
    writers.stderr(`${JSON.stringify(body)}\n`);
    return;
  }
  const lines = [`cairn: ${error.message} [${error.code}]`];
  if (error.hint) lines.push(`  fix: ${error.hint}`);
  if (error.code === "internal") {
    // The cause's first line helps a bug report; the stack only on request.
    const cause = error.cause instanceof Error ? error.cause : null;
    if (cause) lines.push(`  cause: ${cause.name}: ${cause.message.split("\n")[0]}`);
    if (cause && debug) lines.push(...(cause.stack ?? "").split("\n").slice(1, 12));
    lines.push("  This is a bug; please report it with the command you ran (CAIRN_DEBUG=1 shows where it failed).");
  } else if (!error.hint) lines.push(`  (${errorCodes[error.code].summary})`);
  writers.stderr(`${lines.join("\n")}\n`);
}
