import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { pageActions } from "./page-actions";
import { Outcome } from "./page-outcome";

type History = OutputOf<typeof api.memoryHistory>;
type Event = History["events"][number];
/** A memory as the audit log keeps it (a version written over, a conflict's two sides). */
interface Kept {
  content: string;
  kind: string;
  version: string;
  updatedAt: string;
  deletedAt: string | null;
}

const history = signal<History | null>(null);
const pageSize = 50;

function memoryId(): string {
  return decodeURIComponent(location.pathname.split("/")[2] ?? "");
}

async function load(more = false): Promise<void> {
  try {
    const shown = more ? (history.value?.events ?? []) : [];
    const page = await call(api.memoryHistory, {
      params: { id: memoryId() },
      query: { limit: pageSize, offset: shown.length },
    });
    history.value = { ...page, events: [...shown, ...page.events] };
  } catch (error) {
    failure.value = (error as Error).message;
  }
}

const { notice, failure, act } = pageActions(() => load());

function KeptVersion({ kept, label }: { kept: Kept; label: string }) {
  return (
    <div class="kept">
      <p class="meta">
        <span class="kind">{label}</span>
        <span class="where">{kept.kind}</span>
        <time dateTime={kept.updatedAt}>{new Date(kept.updatedAt).toLocaleString()}</time>
        {kept.deletedAt && <span class="badge">in the trash</span>}
        <code class="ref">{kept.version}</code>
      </p>
      <p class="text">{kept.content}</p>
    </div>
  );
}

/** One event of the history: what happened, from which device, and the versions it concerns. */
function HistoryEvent({ event, offered }: { event: Event; offered: (content: string) => boolean }) {
  const details = event.details as { previous?: Kept; winner?: Kept; loser?: Kept };
  const from = event.deviceId ? ` from device ${event.deviceId}` : "";
  const bringBack = (kept: Kept) =>
    offered(kept.content) && (
      <button
        type="button"
        class="small"
        onClick={() =>
          void act(async () => {
            await call(api.updateMemory, { params: { id: memoryId() }, body: { content: kept.content } });
            return "That wording is the memory's new version.";
          })
        }
      >
        Use this wording again
      </button>
    );
  return (
    <li>
      <p class="meta">
        <time dateTime={event.at}>{new Date(event.at).toLocaleString()}</time>
        <span class="where">
          {event.action === "version"
            ? `Edited${from}: the version it replaced`
            : event.action === "conflict"
              ? `Conflict${from}: two edits of one version; the later one was kept`
              : event.action === "delete"
                ? `Forgotten${from}`
                : event.action === "restore"
                  ? `Restored${from}`
                  : `${event.action}${from}`}
        </span>
      </p>
      {details.previous && (
        <>
          <KeptVersion kept={details.previous} label="replaced" />
          {bringBack(details.previous)}
        </>
      )}
      {details.loser && details.winner && (
        <>
          <KeptVersion kept={details.winner} label="kept" />
          <KeptVersion kept={details.loser} label="lost" />
          {bringBack(details.loser)}
        </>
      )}
    </li>
  );
}

/**
 * Which event offers each older wording again: its newest appearance, so a wording that several
 * versions had gets one button, and the current wording none.
 */
function offers(events: Event[], current: string): Map<string, string> {
  const first = new Map<string, string>([[current, ""]]);
  for (const event of events) {
    const details = event.details as { previous?: Kept; loser?: Kept };
    for (const kept of [details.previous, details.loser]) {
      if (kept && !first.has(kept.content)) first.set(kept.content, event.id);
    }
  }
  return first;
}

/**
 * One memory with its history (the versions it replaced, the conflicts it went through with the
 * version that lost, its forgets and restores), newest first; any older wording can be made the
 * memory's new version again.
 */
export function MemoryHistoryPage() {
  const id = memoryId();
  useEffect(() => {
    history.value = null;
    notice.value = null;
    failure.value = null;
    void load();
  }, [id]);
  const shown = history.value;
  const offered = offers(shown?.events ?? [], shown?.memory.content ?? "");
  return (
    <section aria-labelledby="memory-title">
      <h1 id="memory-title">Memory</h1>
      <Outcome notice={notice} failure={failure} />
      {shown && (
        <>
          <article class="current" aria-label="The memory as it stands">
            <KeptVersion kept={shown.memory} label="current" />
            <p class="where">
              {shown.memory.projectId ?? "personal"} · created {new Date(shown.memory.createdAt).toLocaleString()}
              {shown.memory.tags.length > 0 ? ` · #${shown.memory.tags.join(" #")}` : ""}
            </p>
            {shown.memory.deletedAt && (
              <button
                type="button"
                onClick={() =>
                  void act(async () => {
                    await call(api.restoreMemory, { params: { id } });
                    return "Restored from the trash.";
                  })
                }
              >
                Restore
              </button>
            )}
          </article>
          <h2>History ({shown.total})</h2>
          {shown.events.length === 0 ? (
            <p class="empty">Never edited since it was written.</p>
          ) : (
            <ol class="history" aria-label="History, newest first">
              {shown.events.map((event) => (
                <HistoryEvent key={event.id} event={event} offered={(content) => offered.get(content) === event.id} />
              ))}
            </ol>
          )}
          {shown.events.length < shown.total && (
            <button type="button" onClick={() => void load(true)}>
              Older history
            </button>
          )}
        </>
      )}
    </section>
  );
}
