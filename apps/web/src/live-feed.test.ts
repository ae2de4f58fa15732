import type { Change } from "@cairn/core/store/store-types";
import { describe, expect, it } from "vitest";
import { type EventSourceLike, type FeedState, openLiveFeed } from "./live-feed";

/** A scripted EventSource: the test plays the server's events and the browser's give-ups. */
class ScriptedSource implements EventSourceLike {
  readyState = 0;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {}
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(type: string, data: unknown) {
    for (const listener of this.listeners.get(type) ?? []) {
      listener({ data: JSON.stringify(data) } as MessageEvent<string>);
    }
  }
  fail(readyState: 0 | 2) {
    this.readyState = readyState;
    this.onerror?.(new Event("error"));
  }
}

/** Timers the test fires by hand, so nothing waits on the clock. */
function manualTimers() {
  const pending = new Map<number, { run: () => void; ms: number }>();
  let next = 1;
  return {
    set: (run: () => void, ms: number) => {
      pending.set(next, { run, ms });
      return next++;
    },
    clear: (timer: unknown) => {
      pending.delete(timer as number);
    },
    /** Fires the pending timers of exactly `ms` (the backoff or the silence timeout). */
    async fire(ms: number) {
      const due = [...pending].filter(([, timer]) => timer.ms === ms);
      for (const [id, timer] of due) {
        pending.delete(id);
        timer.run();
      }
      await new Promise((resolve) => setImmediate(resolve));
      return due.length;
    },
    delays: () => [...pending.values()].map((timer) => timer.ms).sort((a, b) => a - b),
  };
}

const change = (seq: number) => ({ seq, type: "entry", entry: { id: `e${seq}` } }) as unknown as Change;

function harness(options: { beforeReopen?: () => Promise<void> } = {}) {
  const sources: ScriptedSource[] = [];
  const states: FeedState[] = [];
  const seen: number[] = [];
  const timers = manualTimers();
  const feed = openLiveFeed(10, {
    url: (after) => `/api/feed/events?after=${after}`,
    open: (url) => {
      const source = new ScriptedSource(url);
      sources.push(source);
      return source;
    },
    onChange: (delivered) => seen.push(delivered.seq),
    onState: (state) => states.push(state),
    setTimer: timers.set,
    clearTimer: timers.clear,
    silenceMs: 40_000,
    ...options,
  });
  return { feed, sources, states, seen, timers, latest: () => sources.at(-1) as ScriptedSource };
}

describe("the timeline's live feed", () => {
  it("delivers each change once, in order, and says when it is live", () => {
    const { sources, states, seen, feed } = harness();
    expect(sources[0]?.url).toBe("/api/feed/events?after=10");
    sources[0]?.emit("ready", { after: 10 });
    for (const seq of [11, 12, 12, 9, 13]) sources[0]?.emit("change", change(seq));
    expect(seen).toEqual([11, 12, 13]);
    expect(states).toEqual(["connecting", "live"]);
    expect(feed.lastSeq()).toBe(13);
  });

  it("lets the browser retry a dropped connection by itself (it resends the last id)", async () => {
    const { sources, states, timers } = harness();
    sources[0]?.emit("ready", {});
    sources[0]?.fail(0);
    expect(states.at(-1)).toBe("reconnecting");
    expect(await timers.fire(500)).toBe(0);
    expect(sources).toHaveLength(1);
    sources[0]?.emit("ready", {});
    expect(states.at(-1)).toBe("live");
  });

  it("opens a new stream after the last change when the browser gives up, backing off", async () => {
    let checks = 0;
    const { sources, states, seen, timers, latest } = harness({
      beforeReopen: async () => {
        checks += 1;
        if (checks === 1) throw new Error("server still down");
      },
    });
    sources[0]?.emit("ready", {});
    sources[0]?.emit("change", change(11));
    sources[0]?.fail(2);
    expect(sources[0]?.closed).toBe(true);
    expect(states.at(-1)).toBe("reconnecting");
    expect(timers.delays()).toEqual([500]);

    await timers.fire(500); // the session check fails: wait longer
    expect(sources).toHaveLength(1);
    expect(timers.delays()).toEqual([1000]);

    await timers.fire(1000);
    expect(sources).toHaveLength(2);
    expect(latest().url).toBe("/api/feed/events?after=11");
    latest().emit("ready", {});
    latest().emit("change", change(11));
    latest().emit("change", change(12));
    expect(seen).toEqual([11, 12]);
    expect(states.at(-1)).toBe("live");

    // A later give-up starts the backoff from the beginning again.
    latest().fail(2);
    expect(timers.delays()).toEqual([500]);
  });

  it("treats a stream silent past the heartbeat as dead", async () => {
    const { sources, timers, latest } = harness({ beforeReopen: async () => {} });
    sources[0]?.emit("ready", {});
    sources[0]?.emit("heartbeat", {});
    expect(await timers.fire(40_000)).toBe(1);
    expect(sources[0]?.closed).toBe(true);
    await timers.fire(500);
    expect(sources).toHaveLength(2);
    expect(latest().url).toBe("/api/feed/events?after=10");
  });

  it("stops for good when closed (leaving the page)", async () => {
    const { sources, feed, timers } = harness({ beforeReopen: async () => {} });
    sources[0]?.fail(2);
    feed.close();
    expect(timers.delays()).toEqual([]);
    await timers.fire(500);
    expect(sources).toHaveLength(1);
  });
});
