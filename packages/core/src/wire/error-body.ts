import { AppError, codeForStatus, type ErrorCode, errorCodes } from "../app-error";

/** A failed call to the API (or one that never reached it: status 0), and when the server said to come back. */
export class ApiError extends AppError {
  /** Set when the answer carried Retry-After. */
  retryAfterMs: number | undefined;
}

/**
 * The one decoder of the API's error body ({error: {code, message, details}}, SPEC section 4)
 * for every client: the server's code when this client knows it (else the status's), its message
 * and details, the conversation of a failed chat turn, and Retry-After.
 */
export function errorFromResponse(status: number, body: unknown, retryAfter?: string | null): ApiError {
  const parsed = body as {
    error?: { code?: unknown; message?: unknown; details?: unknown };
    conversation_id?: unknown;
  };
  const error = parsed?.error;
  const code =
    typeof error?.code === "string" && Object.hasOwn(errorCodes, error.code)
      ? (error.code as ErrorCode)
      : codeForStatus(status);
  const message = typeof error?.message === "string" ? error.message : `The server answered HTTP ${status}`;
  const conversation = typeof parsed?.conversation_id === "string" ? parsed.conversation_id : null;
  const failure = new ApiError(code, message, {
    details: {
      status,
      ...(error?.details ? { server: error.details } : {}),
      ...(conversation ? { conversation_id: conversation } : {}),
    },
    ...(conversation ? { hint: `The conversation is ${conversation}.` } : {}),
  });
  const seconds = Number(retryAfter);
  if (retryAfter && Number.isFinite(seconds) && seconds > 0) failure.retryAfterMs = seconds * 1000;
  return failure;
}

/** A call that never got an answer: the server unreachable, or too slow. */
export function unreachable(server: string, cause: unknown): ApiError {
  const aborted = (cause as Error)?.name === "TimeoutError" || (cause as Error)?.name === "AbortError";
  return new ApiError(
    aborted ? "timeout" : "unavailable",
    aborted ? `The server at ${server} did not answer in time` : `Cannot reach ${server}`,
    { cause },
  );
}
