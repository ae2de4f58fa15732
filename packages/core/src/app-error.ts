/**
 * The one error type of Cairn. Every failure a caller can act on carries a code
 * from this closed table; the table maps each code to an HTTP status and a CLI
 * exit code, and docs/errors.md lists the same rows (a test keeps them equal).
 */

export const errorCodes = {
  malformed_json: { status: 400, exit: 1, summary: "The request body is not valid JSON." },
  bad_request: { status: 400, exit: 2, summary: "The request or command line is malformed." },
  invalid_input: { status: 422, exit: 2, summary: "A field is missing or invalid; details name it." },
  unauthenticated: { status: 401, exit: 4, summary: "Missing, wrong, expired or revoked token." },
  not_logged_in: { status: 401, exit: 4, summary: "The CLI has no credentials for a server." },
  forbidden: { status: 403, exit: 1, summary: "The token may not act on this resource." },
  not_found: { status: 404, exit: 1, summary: "No such resource for this user." },
  conflict: { status: 409, exit: 1, summary: "The request conflicts with the current state." },
  request_timeout: { status: 408, exit: 1, summary: "The request did not arrive whole in time." },
  payload_too_large: { status: 413, exit: 1, summary: "The body is over the size limit." },
  uri_too_long: { status: 414, exit: 1, summary: "The URL, or a part of its path, is over the length limit." },
  locked: { status: 423, exit: 1, summary: "The resource is locked until an alert is acknowledged." },
  rate_limited: { status: 429, exit: 1, summary: "Too many requests; retry after the given delay." },
  headers_too_large: { status: 431, exit: 1, summary: "The request's headers are over the size limit." },
  queue_full: { status: 507, exit: 1, summary: "The local outbox is at its cap; nothing queued was dropped." },
  store_corrupt: { status: 500, exit: 1, summary: "A local store file is damaged or not a database." },
  internal: { status: 500, exit: 1, summary: "A bug: report it with the request id." },
  upstream_error: { status: 502, exit: 1, summary: "An upstream service answered with an error." },
  unavailable: { status: 503, exit: 1, summary: "The server or a dependency is not reachable." },
  timeout: { status: 504, exit: 1, summary: "An upstream call did not answer in time." },
  upstream_model_error: { status: 502, exit: 1, summary: "The chat model's provider answered with an error." },
  upstream_timeout: { status: 504, exit: 1, summary: "The chat model's provider did not answer in time." },
  agent_turn_limit: { status: 504, exit: 1, summary: "The chat agent used every step of its turn without an answer." },
  guardrail_refusal: { status: 422, exit: 1, summary: "The model or a guardrail refused the request." },
  preflight_refused: { status: 409, exit: 2, summary: "The CLI refused to act; the problems say why." },
} as const satisfies Record<string, { status: number; exit: number; summary: string }>;

export type ErrorCode = keyof typeof errorCodes;

export interface AppErrorOptions {
  details?: unknown;
  cause?: unknown;
  /** Shown by the CLI under the message: how to fix it. */
  hint?: string;
}

/** A failure with a stable code. Expected failures use any code but `internal`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options.details;
    this.hint = options.hint;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  get exitCode(): number {
    return errorCodes[this.code].exit;
  }
}

/** True for an AppError, also across bundle copies of this module. */
export function isAppError(value: unknown): value is AppError {
  return (
    value instanceof AppError ||
    (value instanceof Error && value.name === "AppError" && typeof (value as AppError).code === "string")
  );
}

/** Wraps anything thrown into an AppError, keeping the cause; unknown faults become `internal`. */
export function toAppError(value: unknown): AppError {
  if (isAppError(value)) return value;
  return new AppError("internal", "Internal error", { cause: value });
}

/** The one error body of every HTTP response. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
  requestId?: string;
}

/** Renders the wire body for an error; internal errors never show their cause. */
export function errorBody(error: AppError, requestId?: string): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, message: error.message } };
  if (error.details !== undefined) body.error.details = error.details;
  if (requestId !== undefined) body.requestId = requestId;
  return body;
}

/** The code for an HTTP status when the body did not carry one. */
export function codeForStatus(status: number): ErrorCode {
  const found = (Object.keys(errorCodes) as ErrorCode[]).find((code) => errorCodes[code].status === status);
  return found ?? (status >= 500 ? "internal" : "bad_request");
}
