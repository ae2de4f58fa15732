import { entryRef } from "@cairn/core/citation-format";
import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { go, hash } from "./app-state";

type ThreadSummary = OutputOf<typeof api.listThreads>["threads"][number];
type ThreadPage = OutputOf<typeof api.getThread>;

const threads = signal<ThreadSummary[]>([]);
const threadsTotal = signal(0);
const opened = signal<ThreadPage | null>(null);
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
      {failure.value && (
        <p role="alert" class="error">
          {failure.value}
        </p>
      )}
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
  async function load(offset: number) {
    try {
      const page = await call(api.getThread, { params: { id: thread }, query: { project, limit: 200, offset } });
      opened.value = offset === 0 ? page : { ...page, entries: [...(opened.value?.entries ?? []), ...page.entries] };
    } catch (error) {
      failure.value = (error as Error).message;
    }
  }
  useEffect(() => {
    opened.value = null;
    void load(0);
  }, [project, thread]);
  // The permalink's entry, once it is on the page (CSS :target does not see rows rendered after the load).
  const target = hash.value.slice(1);
  useEffect(() => {
    if (target) document.getElementById(target)?.focus();
  }, [target, opened.value]);
  const shown = opened.value;
  return (
    <section aria-labelledby="thread-title">
      <h1 id="thread-title">{shown?.thread.name || thread}</h1>
      <p class="where">
        {project} · {shown ? `${shown.total} entries` : "…"}
      </p>
      {failure.value && (
        <p role="alert" class="error">
          {failure.value}
        </p>
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
      {shown && shown.entries.length < shown.total && (
        <button type="button" onClick={() => void load(shown.entries.length)}>
          More entries
        </button>
      )}
    </section>
  );
}
