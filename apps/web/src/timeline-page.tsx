import type { Change } from "@cairn/core/store/store-types";
import { api } from "@cairn/core/wire/api";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { type FeedState, type LiveFeed, openLiveFeed } from "./live-feed";
import { FailureAlert } from "./page-outcome";

const changes = signal<Change[]>([]);
const next = signal<number | null>(null);
const connection = signal<FeedState>("connecting");
const failure = signal<string | null>(null);

/** What a change says in one line: its kind, where, by whom, and its text (a deletion says so). */
function describe(change: Change): { kind: string; where: string; text: string; at: string; deleted: boolean } {
  switch (change.type) {
    case "entry":
      return {
        kind: "entry",
        where: `${change.entry.projectId}/${change.entry.threadId}${change.entry.author ? ` · ${change.entry.author}` : ""}`,
        text: change.entry.content,
        at: change.entry.createdAt,
        deleted: change.entry.deletedAt !== null,
      };
    case "memory":
      return {
        kind: change.memory.kind,
        where: change.memory.projectId ?? "personal",
        text: change.memory.content,
        at: change.memory.updatedAt,
        deleted: change.memory.deletedAt !== null,
      };
    case "task":
      return {
        kind: `task · ${change.task.status.replace("_", " ")}`,
        where: change.task.projectId ?? "personal",
        text: change.task.title,
        at: change.task.updatedAt,
        deleted: change.task.deletedAt !== null,
      };
    case "thread":
      return {
        kind: "thread",
        where: change.thread.projectId,
        text: change.thread.name ?? change.thread.id,
        at: change.thread.updatedAt,
        deleted: change.thread.deletedAt !== null,
      };
    case "session":
      return {
        kind: "session",
        where: change.session.projectId ?? "",
        text: change.session.agent ?? "session",
        at: change.session.startedAt,
        deleted: false,
      };
  }
}

function addNewest(incoming: Change[]): void {
  const known = new Set(changes.value.map((change) => change.seq));
  const fresh = incoming.filter((change) => !known.has(change.seq));
  if (fresh.length > 0) changes.value = [...fresh.reverse(), ...changes.value];
}

/**
 * The activity timeline: the user's changes across projects and sessions, newest first, and live.
 * New rows arrive through the server-sent event stream; the browser reconnects by itself with the
 * last id it saw, and the state of the connection is shown.
 */
export function TimelinePage() {
  useEffect(() => {
    let feed: LiveFeed | null = null;
    let closed = false;
    void (async () => {
      try {
        const page = await call(api.recentChanges, { query: { limit: 50 } });
        changes.value = page.changes;
        next.value = page.next;
        if (closed) return;
        feed = openLiveFeed(page.horizon, {
          url: (after) => `${api.feedEvents.path}?after=${after}`,
          onChange: (change) => addNewest([change]),
          onState: (state) => {
            connection.value = state;
          },
          // A stream refused for a lost session ends at the login (the 401 of /api/me does that).
          beforeReopen: async () => {
            await call(api.me, {});
          },
        });
      } catch (error) {
        failure.value = (error as Error).message;
      }
    })();
    return () => {
      closed = true;
      feed?.close();
      connection.value = "connecting";
    };
  }, []);

  async function older() {
    if (next.value === null) return;
    const page = await call(api.recentChanges, { query: { limit: 50, before: next.value } });
    changes.value = [...changes.value, ...page.changes];
    next.value = page.next;
  }

  return (
    <section aria-labelledby="timeline-title">
      <header class="page-header">
        <h1 id="timeline-title">Timeline</h1>
        <p class={`connection ${connection.value}`} role="status" aria-live="polite">
          {connection.value === "live" ? "Live" : connection.value === "reconnecting" ? "Reconnecting…" : "Connecting…"}
        </p>
      </header>
      <FailureAlert message={failure.value} />
      {changes.value.length === 0 ? (
        <p class="empty">Nothing recorded yet. Entries, memories and tasks appear here as they are written.</p>
      ) : (
        <ol class="timeline" aria-label="Changes, newest first">
          {changes.value.map((change) => {
            const shown = describe(change);
            return (
              <li key={change.seq} class={shown.deleted ? "deleted" : ""}>
                <div class="meta">
                  <span class="kind">{shown.kind}</span>
                  <span class="where">{shown.where}</span>
                  <time dateTime={shown.at}>{new Date(shown.at).toLocaleString()}</time>
                  {shown.deleted && <span class="badge">deleted</span>}
                </div>
                <p class="text">{shown.text.length > 400 ? `${shown.text.slice(0, 400)}…` : shown.text}</p>
              </li>
            );
          })}
        </ol>
      )}
      {next.value !== null && (
        <button type="button" onClick={older}>
          Older
        </button>
      )}
    </section>
  );
}
