import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { call } from "./api-client";
import { postForEvents } from "./event-stream";
import { fieldsOf } from "./page-actions";
import { FailureAlert } from "./page-outcome";
import { threadPath } from "./threads-page";

type Answer = OutputOf<typeof api.ask>;
type Opened = OutputOf<typeof api.resolveRef>;

const streaming = signal("");
const answer = signal<Answer | null>(null);
const busy = signal(false);
const failure = signal<string | null>(null);
const opened = signal<Opened | null>(null);

/** Asks with the answer streamed: text deltas, then `done` with the checked citations. */
async function ask(question: string, project: string): Promise<void> {
  busy.value = true;
  failure.value = null;
  answer.value = null;
  opened.value = null;
  streaming.value = "";
  try {
    await postForEvents(api.ask.path, { question, ...(project ? { project } : {}), stream: true }, (event, data) => {
      if (event === "text") streaming.value += (data as { delta: string }).delta;
      if (event === "done") answer.value = data as OutputOf<typeof api.ask>;
      if (event === "error")
        failure.value = (data as { error?: { message?: string } })?.error?.message ?? "The oracle failed";
    });
  } catch (error) {
    failure.value = (error as Error).message;
  } finally {
    busy.value = false;
  }
}

async function open(ref: string) {
  try {
    opened.value = await call(api.resolveRef, { query: { ref } });
  } catch (error) {
    failure.value = (error as Error).message;
  }
}

/** The answer with each `[n]` a chip that opens the row it cites (checked by the server: only retrieved rows). */
function CitedAnswer({ done }: { done: Answer }) {
  const parts = done.answer.split(/(\[\d+\])/g);
  return (
    <p class="answer">
      {parts.map((part, index) => {
        const number = /^\[(\d+)\]$/.exec(part)?.[1];
        const citation = number ? done.citations[Number(number) - 1] : undefined;
        if (!citation) return part;
        return (
          <button
            key={index}
            type="button"
            class="chip"
            aria-label={`Source ${number}: ${citation.ref}`}
            onClick={() => void open(citation.ref)}
          >
            {number}
          </button>
        );
      })}
    </p>
  );
}

/**
 * Ask: the oracle's answer streamed as it is written, each citation a chip that opens the cited
 * entry or memory, and an abstention shown as such ("memory holds nothing about that").
 */
export function AskPage() {
  function submit(event: Event) {
    event.preventDefault();
    const field = fieldsOf(event.currentTarget as HTMLFormElement);
    const question = field("question");
    if (question) void ask(question, field("project"));
  }
  const done = answer.value;
  return (
    <section aria-labelledby="ask-title">
      <h1 id="ask-title">Ask</h1>
      <form class="search-form" onSubmit={submit}>
        <label for="question">Question</label>
        <input id="question" name="question" type="text" autofocus />
        <label for="ask-project">Project</label>
        <input id="ask-project" name="project" type="text" />
        <button type="submit" disabled={busy.value}>
          Ask
        </button>
      </form>
      <FailureAlert message={failure.value} />
      <div role="status" aria-live="polite">
        {done === null ? (
          streaming.value && <p class="answer">{streaming.value}</p>
        ) : done.abstained ? (
          <p class="abstained">Memory holds nothing about that. Nothing recorded answers this question.</p>
        ) : (
          <CitedAnswer done={done} />
        )}
      </div>
      {done && !done.abstained && (
        <ol class="citations" aria-label="Sources">
          {done.citations.map((citation, index) => (
            <li key={citation.ref}>
              <button type="button" class="chip" onClick={() => void open(citation.ref)}>
                {index + 1}
              </button>{" "}
              <code>{citation.ref}</code> {citation.snippet}
            </li>
          ))}
        </ol>
      )}
      {opened.value && (
        <aside class="opened" aria-label="Cited row">
          {opened.value.type === "entry" ? (
            <>
              <p class="meta">
                entry · {opened.value.entry.projectId}/{opened.value.entry.threadId}
                {opened.value.entry.author ? ` · ${opened.value.entry.author}` : ""} ·{" "}
                {new Date(opened.value.entry.createdAt).toLocaleString()}
              </p>
              <p class="text">{opened.value.entry.content}</p>
              <a
                href={`${threadPath(opened.value.entry.projectId, opened.value.entry.threadId)}#${opened.value.entry.id}`}
              >
                Open in its thread
              </a>
            </>
          ) : (
            <>
              <p class="meta">
                {opened.value.memory.kind} · {opened.value.memory.projectId ?? "personal"} ·{" "}
                {new Date(opened.value.memory.updatedAt).toLocaleString()}
              </p>
              <p class="text">{opened.value.memory.content}</p>
            </>
          )}
        </aside>
      )}
    </section>
  );
}
