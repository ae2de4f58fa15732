import { entryRef } from "@cairn/core/citation-format";
import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { call } from "./api-client";
import { go, hash } from "./app-state";
import { FailureAlert } from "./page-outcome";

type ThreadSummary = OutputOf<typeof api.listThreads>["threads"][number];
type ThreadPage = OutputOf<typeof api.getThread>;

const threads = signal<ThreadSummary[]>([]);
const threadsTotal = signal(0);
/** The thread's entries read so far: a window from `offset` (a permalink opens it around its entry). */
const opened = signal<(ThreadPage & { offset: number }) | null>(null);
const entryPage = 200;
const failure = signal<string | null>(null);
const pageSize = 50;

/** A thread's address in the UI; an entry's permalink adds `#<entry id>`, the id of its citation. */
export function threadPath(project: string, thread: string): string {
  return `/threads/${encodeURIComponent(project)}/${encodeURIComponent(thread)}`;
}

/** The threads of every project, most recently active first, paged. */
export function ThreadsPage() {
  async function load(offset: number) {
    try {
      const page = await call(api.listThreads, { query: { limit: pageSize, offset } });
      threads.value = offset === 0 ? page.threads : [...threads.value, ...page.threads];
      threadsTotal.value = page.total;
    } catch (error) {
      failure.value = (error as Error).message;
    }
  }
  useEffect(() => {
    void load(0);
  }, []);
  return (
    <section aria-labelledby="threads-title">
      <h1 id="threads-title">Threads</h1>
      <FailureAlert message={failure.value} />
      <ul class="threads" aria-label="Threads">
        {threads.value.map((thread) => (
          <li key={`${thread.projectId}/${thread.id}`}>
            <a
              href={threadPath(thread.projectId, thread.id)}
              onClick={(event) => {
                event.preventDefault();
                go("thread", threadPath(thread.projectId, thread.id));
              }}
            >
              {thread.name || thread.id}
            </a>{" "}
            <span class="where">
              {thread.projectId} · {thread.entryCount} entries
              {thread.lastEntryAt ? ` · last ${new Date(thread.lastEntryAt).toLocaleString()}` : ""}
            </span>
          </li>
        ))}
      </ul>
      {threads.value.length < threadsTotal.value && (
        <button type="button" onClick={() => void load(threads.value.length)}>
          More
        </button>
      )}
    </section>
  );
}

/**
 * One thread with its verbatim entries, oldest first, each with its permalink: the address
 * `/threads/<project>/<thread>#<entry id>` and the reference the oracle cites it by.
 */
export function ThreadView() {
  const [, , project = "", thread = ""] = location.pathname.split("/").map(decodeURIComponent);
  const target = hash.value.slice(1);
  /** The first page: around the permalink's entry when there is one (it may sit deep in a long thread). */
  async function open() {
    try {
      const around = target && opened.value?.entries.every((entry) => entry.id !== target) !== false ? target : "";
      if (!around && opened.value) return;
      const page = await call(api.getThread, {
        params: { id: thread },
        query: { project, limit: entryPage, ...(around ? { around } : { offset: 0 }) },
      });
      opened.value = { ...page, offset: page.offset ?? 0 };
    } catch (error) {
      failure.value = (error as Error).message;
    }
  }
  /** The entries just before the window, or just after it. */
  async function extend(side: "earlier" | "later") {
    const shown = opened.value;
    if (!shown) return;
    const offset = side === "earlier" ? Math.max(0, shown.offset - entryPage) : shown.offset + shown.entries.length;
    const limit = side === "earlier" ? shown.offset - offset : entryPage;
    try {
      const page = await call(api.getThread, { params: { id: thread }, query: { project, limit, offset } });
      opened.value =
        side === "earlier"
          ? { ...page, offset, entries: [...page.entries, ...shown.entries] }
          : { ...page, offset: shown.offset, entries: [...shown.entries, ...page.entries] };
    } catch (error) {
      failure.value = (error as Error).message;
    }
  }
  useEffect(() => {
    opened.value = null;
  }, [project, thread]);
  useEffect(() => {
    void open();
  }, [project, thread, target]);
  // The permalink's entry, once it is on the page (CSS :target does not see rows rendered after the load);
  // once: reading earlier or later entries leaves the reader where they are.
  const focused = useRef("");
  useEffect(() => {
    const row = target && focused.current !== target ? document.getElementById(target) : null;
    if (row) {
      row.focus();
      focused.current = target;
    }
  }, [target, opened.value]);
  const shown = opened.value;
  return (
    <section aria-labelledby="thread-title">
      <h1 id="thread-title">{shown?.thread.name || thread}</h1>
      <p class="where">
        {project} · {shown ? `${shown.total} entries` : "…"}
      </p>
      <FailureAlert message={failure.value} />
      {shown && shown.offset > 0 && (
        <button type="button" onClick={() => void extend("earlier")}>
          Earlier entries ({shown.offset})
        </button>
      )}
      <ol class="entries" aria-label="Entries, oldest first">
        {shown?.entries.map((entry) => (
          <li key={entry.id} id={entry.id} tabIndex={-1} class={target === entry.id ? "target" : ""}>
            <div class="meta">
              {entry.author && <span class="kind">{entry.author}</span>}
              <time dateTime={entry.createdAt}>{new Date(entry.createdAt).toLocaleString()}</time>
              <a
                href={`${threadPath(project, thread)}#${entry.id}`}
                aria-label={`Permalink of the entry of ${entry.createdAt}`}
              >
                #
              </a>
              <code class="ref">{entryRef(entry.threadId, entry.id)}</code>
            </div>
            <p class="text">{entry.content}</p>
          </li>
        ))}
      </ol>
      {shown && shown.offset + shown.entries.length < shown.total && (
        <button type="button" onClick={() => void extend("later")}>
          Later entries
        </button>
      )}
    </section>
  );
}
