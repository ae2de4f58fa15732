import type { Change } from "@cairn/core/store/store-types";

export type FeedState = "connecting" | "live" | "reconnecting";

/** The part of the browser's EventSource the feed uses (a test hands in a scripted one). */
export interface EventSourceLike {
  readonly readyState: number;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

/** EventSource.CLOSED: the browser gave up on the stream (an answer other than 200) and will not retry. */
const closedState = 2;

export interface LiveFeedOptions {
  /** The stream's address for changes after `seq`. */
  url(after: number): string;
  onChange(change: Change): void;
  onState(state: FeedState): void;
  open?: (url: string) => EventSourceLike;
  /**
   * Runs before the feed opens a stream again after the browser gave up; a throw waits for the
   * next attempt. The page checks its session here, so a 401 ends at the login, not in a loop.
   */
  beforeReopen?: () => Promise<void>;
  /** The wait before the n-th reopening (1-based): 0.5 s doubling, at most 15 s. */
  backoffMs?: (attempt: number) => number;
  /** Nothing heard for this long (the server sends a heartbeat every 15 s): the stream is dead, open another. */
  silenceMs?: number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export interface LiveFeed {
  close(): void;
  /** The last change delivered: a reopened stream starts after it, so nothing is missed or shown twice. */
  lastSeq(): number;
}

const defaultBackoff = (attempt: number) => Math.min(15_000, 500 * 2 ** (attempt - 1));

/**
 * The timeline's live stream of the user's change feed, which does not silently die. The browser
 * reconnects by itself after a dropped connection (sending the last id); when it gives up instead
 * (the server answered an error, or a proxy did) or the stream goes silent past the heartbeat, the
 * feed opens a new stream after the last change it delivered, backing off between attempts.
 */
export function openLiveFeed(after: number, options: LiveFeedOptions): LiveFeed {
  const open = options.open ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike);
  const backoff = options.backoffMs ?? defaultBackoff;
  const silenceMs = options.silenceMs ?? 40_000;
  const setTimer = options.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer: unknown) => clearTimeout(timer as ReturnType<typeof setTimeout>));

  let last = after;
  let attempts = 0;
  let closed = false;
  let source: EventSourceLike | null = null;
  let retryTimer: unknown = null;
  let silenceTimer: unknown = null;

  const watchSilence = () => {
    if (silenceTimer !== null) clearTimer(silenceTimer);
    silenceTimer = setTimer(() => reopenLater(), silenceMs);
  };

  function reopenLater(): void {
    if (closed || retryTimer !== null) return;
    source?.close();
    source = null;
    if (silenceTimer !== null) clearTimer(silenceTimer);
    silenceTimer = null;
    options.onState("reconnecting");
    attempts += 1;
    retryTimer = setTimer(async () => {
      retryTimer = null;
      if (closed) return;
      try {
        await options.beforeReopen?.();
      } catch {
        reopenLater();
        return;
      }
      if (!closed) connect();
    }, backoff(attempts));
  }

  function connect(): void {
    const stream = open(options.url(last));
    source = stream;
    watchSilence();
    stream.addEventListener("ready", () => {
      attempts = 0;
      watchSilence();
      options.onState("live");
    });
    stream.addEventListener("heartbeat", watchSilence);
    stream.addEventListener("change", (event) => {
      watchSilence();
      const change = JSON.parse(event.data) as Change;
      if (change.seq <= last) return; // already shown: a resumed stream may repeat its edge
      last = change.seq;
      options.onChange(change);
    });
    stream.onerror = () => {
      if (source !== stream) return;
      if (stream.readyState === closedState) reopenLater();
      else options.onState("reconnecting"); // the browser is retrying on its own, with Last-Event-ID
    };
  }

  options.onState("connecting");
  connect();
  return {
    close() {
      closed = true;
      source?.close();
      if (retryTimer !== null) clearTimer(retryTimer);
      if (silenceTimer !== null) clearTimer(silenceTimer);
    },
    lastSeq: () => last,
  };
}
