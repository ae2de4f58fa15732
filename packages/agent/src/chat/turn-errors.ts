import { APICallError } from "@ai-sdk/provider";
import { AppError, isAppError } from "@cairn/core/app-error";

/** An error of a chat turn, carrying the conversation it happened in (the error body names it). */
export class TurnError extends AppError {
  constructor(
    cause: AppError,
    readonly conversationId: string | null,
  ) {
    super(cause.code, cause.message, {
      details: cause.details,
      cause: cause.cause ?? cause,
      ...(cause.hint ? { hint: cause.hint } : {}),
    });
  }
}

function lastErrorOf(error: unknown): unknown {
  // A RetryError wraps the attempts; the last one says what finally went wrong.
  const retried = error as { name?: string; lastError?: unknown };
  if (retried?.name === "AI_RetryError" && retried.lastError !== undefined) return retried.lastError;
  return error;
}

/**
 * Maps what the model call threw onto the code table (SPEC section 5):
 * provider timeout → upstream_timeout (504), provider error →
 * upstream_model_error (502), our own AppErrors as they are, anything else
 * internal (500, no internals in the body).
 */
export function classifyTurnError(error: unknown, timedOut: boolean): AppError {
  if (timedOut) return new AppError("upstream_timeout", "The model provider did not answer in time", { cause: error });
  if (isAppError(error)) return error;
  const last = lastErrorOf(error);
  if (APICallError.isInstance(last)) {
    const status = last.statusCode;
    if (status === 408 || status === 504) {
      return new AppError("upstream_timeout", `The model provider timed out (HTTP ${status})`, { cause: last });
    }
    return new AppError(
      "upstream_model_error",
      status ? `The model provider answered HTTP ${status}` : "The model provider could not be reached",
      { cause: last, details: { providerStatus: status ?? null, retryable: last.isRetryable } },
    );
  }
  const name = (last as { name?: string })?.name ?? "";
  if (name === "TimeoutError") {
    return new AppError("upstream_timeout", "The model provider did not answer in time", { cause: last });
  }
  // The SDK's own errors about what the provider sent (unparseable, empty, wrong shape).
  if (/^AI_(InvalidResponseData|JSONParse|EmptyResponseBody|NoContentGenerated|TypeValidation)Error$/.test(name)) {
    return new AppError("upstream_model_error", "The model provider sent an answer that could not be read", {
      cause: last,
    });
  }
  return new AppError("internal", "Internal error", { cause: error });
}
