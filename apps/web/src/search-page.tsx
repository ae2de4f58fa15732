import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useRef } from "preact/hooks";
import { call } from "./api-client";
import { go } from "./app-state";
import { MarkedText } from "./marked-text";
import { fieldsOf } from "./page-actions";
import { FailureAlert } from "./page-outcome";
import { threadPath } from "./threads-page";

type Hit = OutputOf<typeof api.search>["hits"][number];

const hits = signal<Hit[]>([]);
const nextCursor = signal<number | null>(null);
const searched = signal<string | null>(null);
const failure = signal<string | null>(null);
/** A search is on its way (the results list says so to assistive technology: aria-busy). */
const busy = signal(false);

/** Where a hit opens: an entry at its permalink, a memory on its own page, a task in the task list. */
export function addressOf(hit: Hit): string {
  if (hit.type === "entry") return `${threadPath(hit.project ?? "", hit.thread ?? "")}#${hit.id}`;
  if (hit.type === "memory") return `/memories/${encodeURIComponent(hit.id)}`;
  return "/tasks";
}

interface Filters {
  q: string;
  type: string;
  project: string;
  session: string;
  since: string;
  until: string;
}

function queryOf(filters: Filters, cursor: number) {
  return {
    q: filters.q,
    limit: 20,
    cursor,
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.project ? { project: filters.project } : {}),
    ...(filters.session ? { session: filters.session } : {}),
    ...(filters.since ? { since: filters.since } : {}),
    ...(filters.until ? { until: filters.until } : {}),
  };
}

/**
 * Unified search: entries, memories and tasks, with highlighted snippets, filters (type, project,
 * session, dates), paging, and the keyboard: ↓ and ↑ move through the results from the search box,
 * Enter opens the one in focus (an entry in its thread, a memory with its history).
 */
export function SearchPage() {
  const form = useRef<HTMLFormElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const filters = (): Filters => {
    const text = fieldsOf(form.current ?? undefined);
    return {
      q: text("q"),
      type: text("type"),
      project: text("project"),
      session: text("session"),
      since: text("since"),
      until: text("until"),
    };
  };

  async function run(cursor: number) {
    const wanted = filters();
    if (wanted.q === "") return;
    failure.value = null;
    busy.value = true;
    try {
      const page = await call(api.search, { query: queryOf(wanted, cursor) });
      hits.value = cursor === 0 ? page.hits : [...hits.value, ...page.hits];
      nextCursor.value = page.nextCursor;
      searched.value = wanted.q;
    } catch (error) {
      failure.value = (error as Error).message;
    } finally {
      busy.value = false;
    }
  }

  function move(event: KeyboardEvent) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const items = [...(list.current?.querySelectorAll<HTMLElement>("li > a") ?? [])];
    if (items.length === 0) return;
    event.preventDefault();
    const at = items.indexOf(document.activeElement as HTMLElement);
    const to = event.key === "ArrowDown" ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1);
    items[at < 0 && event.key === "ArrowDown" ? 0 : to]?.focus();
  }

  return (
    <section aria-labelledby="search-title" onKeyDown={move}>
      <h1 id="search-title">Search</h1>
      <search>
        <form
          ref={form}
          class="search-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(0);
          }}
        >
          <label for="q">Words to find</label>
          <input id="q" name="q" type="search" autofocus defaultValue={searched.value ?? ""} />
          <label for="type">Type</label>
          <select id="type" name="type">
            <option value="">All</option>
            <option value="entry">Entries</option>
            <option value="memory">Memories</option>
            <option value="task">Tasks</option>
          </select>
          <label for="project">Project</label>
          <input id="project" name="project" type="text" />
          <label for="session">Session</label>
          <input id="session" name="session" type="text" />
          <label for="since">Since</label>
          <input id="since" name="since" type="date" />
          <label for="until">Until</label>
          <input id="until" name="until" type="date" />
          <button type="submit">Search</button>
        </form>
      </search>
      <FailureAlert message={failure.value} />
      {searched.value !== null && (
        <p role="status">
          {hits.value.length === 0 ? `Nothing matches “${searched.value}”.` : `Results for “${searched.value}”`}
        </p>
      )}
      <ol ref={list} class="results" aria-label="Results" aria-busy={busy.value ? "true" : "false"}>
        {hits.value.map((hit) => (
          <li key={`${hit.type}:${hit.id}`}>
            <a
              href={addressOf(hit)}
              onClick={(event) => {
                event.preventDefault();
                go(hit.type === "entry" ? "thread" : hit.type === "memory" ? "memory" : "tasks", addressOf(hit));
              }}
            >
              <div class="meta">
                <span class="kind">{hit.type}</span>
                <span class="where">
                  {hit.type === "entry" ? `${hit.project}/${hit.thread}` : (hit.project ?? "personal")}
                  {hit.author ? ` · ${hit.author}` : ""}
                </span>
                <time dateTime={hit.createdAt}>{new Date(hit.createdAt).toLocaleString()}</time>
              </div>
              <p class="text">
                {hit.title && <strong>{hit.title} </strong>}
                <MarkedText text={hit.snippet} />
              </p>
            </a>
          </li>
        ))}
      </ol>
      {nextCursor.value !== null && (
        <button type="button" onClick={() => void run(nextCursor.value ?? 0)}>
          More results
        </button>
      )}
    </section>
  );
}
