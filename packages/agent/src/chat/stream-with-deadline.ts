import { AppError } from "@cairn/core/app-error";
import type { TextStreamPart, ToolSet } from "ai";

/**
 * Runs a model stream (`streamText`, started with the given abort signal)
 * under a deadline, handing every part but failures to `onPart`. Resolves
 * with what went wrong, if anything: an error part, an abort or a throw
 * (`failure`), or the deadline (`timedOut`); `classifyTurnError` maps them.
 * The chat turn and the oracle both call the model this way.
 */
export async function streamWithDeadline<Tools extends ToolSet>(
  deadlineMs: number,
  start: (abortSignal: AbortSignal) => { fullStream: AsyncIterable<TextStreamPart<Tools>> },
  onPart: (part: TextStreamPart<Tools>) => void,
): Promise<{ failure: unknown; timedOut: boolean }> {
  let failure: unknown = null;
  let timedOut = false;
  const abort = new AbortController();
  const timer = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, deadlineMs);
  try {
    for await (const part of start(abort.signal).fullStream) {
      if (part.type === "error") failure = part.error;
      else if (part.type === "abort") failure ??= new AppError("upstream_timeout", "The model call was aborted");
      else onPart(part);
    }
  } catch (error) {
    failure = error;
  } finally {
    clearTimeout(timer);
  }
  return { failure, timedOut };
}
