import { memoryKinds } from "@cairn/core/memory-kinds";
import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { call } from "./api-client";
import { go } from "./app-state";
import { checkForm } from "./form-check";
import { fieldsOf, pageActions } from "./page-actions";
import { FailureAlert } from "./page-outcome";

type Memory = OutputOf<typeof api.listMemories>["memories"][number];
type Kind = (typeof memoryKinds)[number];

const memories = signal<Memory[]>([]);
const total = signal(0);
const filter = signal<{ project: string; kind: string }>({ project: "", kind: "" });
const editing = signal<string | null>(null);
/** The last memory forgotten here: it can be restored from the notice. */
const forgotten = signal<Memory | null>(null);
const pageSize = 50;

async function load(more = false): Promise<void> {
  try {
    const { project, kind } = filter.value;
    const page = await call(api.listMemories, {
      query: {
        limit: pageSize,
        offset: more ? memories.value.length : 0,
        ...(project ? { project } : {}),
        ...(kind ? { kind: kind as Kind } : {}),
      },
    });
    memories.value = more ? [...memories.value, ...page.memories] : page.memories;
    total.value = page.total;
  } catch (error) {
    failure.value = (error as Error).message;
  }
}

const { notice, failure, act } = pageActions(() => load());

function MemoryRow({ memory }: { memory: Memory }) {
  const text = useRef<HTMLTextAreaElement>(null);
  if (editing.value === memory.id) {
    return (
      <li>
        <label for={`edit-${memory.id}`}>Edit the memory</label>
        <textarea id={`edit-${memory.id}`} ref={text} rows={3} defaultValue={memory.content} />
        <div class="actions">
          <button
            type="button"
            onClick={() =>
              void act(async () => {
                const body = { content: text.current?.value ?? "" };
                await checkForm("updateMemory", { id: memory.id, ...body });
                await call(api.updateMemory, { params: { id: memory.id }, body });
                editing.value = null;
                return "Saved: the memory has a new version.";
              })
            }
          >
            Save
          </button>
          <button type="button" onClick={() => (editing.value = null)}>
            Cancel
          </button>
        </div>
      </li>
    );
  }
  return (
    <li>
      <div class="meta">
        <span class="kind">{memory.kind}</span>
        <span class="where">{memory.projectId}</span>
        <time dateTime={memory.updatedAt}>{new Date(memory.updatedAt).toLocaleString()}</time>
        {memory.tags.length > 0 && <span class="where">#{memory.tags.join(" #")}</span>}
        <a
          href={`/memories/${encodeURIComponent(memory.id)}`}
          aria-label={`History of ${memory.content.slice(0, 40)}`}
          onClick={(event) => {
            event.preventDefault();
            go("memory", `/memories/${encodeURIComponent(memory.id)}`);
          }}
        >
          History
        </a>
      </div>
      <p class="text">{memory.content}</p>
      <div class="actions">
        <button
          type="button"
          class="small"
          aria-label={`Edit ${memory.content.slice(0, 40)}`}
          onClick={() => (editing.value = memory.id)}
        >
          Edit
        </button>
        <button
          type="button"
          class="small"
          aria-label={`Forget ${memory.content.slice(0, 40)}`}
          onClick={() =>
            void act(async () => {
              await call(api.forgetMemory, { params: { id: memory.id } });
              forgotten.value = memory;
              return "Forgotten: it is in the trash for 30 days.";
            })
          }
        >
          Forget
        </button>
      </div>
    </li>
  );
}

/** Memories: filter by project and kind, remember a new one, edit (a new version), forget and restore. */
export function MemoriesPage() {
  useEffect(() => {
    void load();
  }, []);
  function remember(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = fieldsOf(form);
    const content = field("content");
    const project = field("memory-project");
    if (!content || !project) return;
    void act(async () => {
      const body = { project, content, kind: (field("memory-kind") || "note") as Kind };
      await checkForm("remember", body);
      await call(api.remember, { body });
      form.reset();
      return "Remembered.";
    });
  }
  return (
    <section aria-labelledby="memories-title">
      <h1 id="memories-title">Memories</h1>
      <form class="search-form" onSubmit={remember} aria-label="Remember">
        <label for="content">New memory</label>
        <textarea id="content" name="content" rows={2} />
        <label for="memory-project">Project</label>
        <input id="memory-project" name="memory-project" type="text" required />
        <label for="memory-kind">Kind</label>
        <select id="memory-kind" name="memory-kind">
          {memoryKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
        <button type="submit">Remember</button>
      </form>
      <form
        class="filters"
        aria-label="Filter memories"
        onSubmit={(event) => {
          event.preventDefault();
          const field = fieldsOf(event.currentTarget as HTMLFormElement);
          filter.value = {
            project: field("filter-project"),
            kind: field("filter-kind"),
          };
          void load();
        }}
      >
        <label for="filter-project">Filter by project</label>
        <input id="filter-project" name="filter-project" type="text" />
        <label for="filter-kind">by kind</label>
        <select id="filter-kind" name="filter-kind">
          <option value="">All</option>
          {memoryKinds.map((kind) => (
            <option key={kind} value={kind}>
              {kind}
            </option>
          ))}
        </select>
        <button type="submit">Filter</button>
      </form>
      <FailureAlert message={failure.value} />
      <div role="status" aria-live="polite">
        {notice.value}{" "}
        {forgotten.value && (
          <button
            type="button"
            class="small"
            onClick={() => {
              const memory = forgotten.value as Memory;
              forgotten.value = null;
              void act(async () => {
                await call(api.restoreMemory, { params: { id: memory.id } });
                return "Restored.";
              });
            }}
          >
            Restore it
          </button>
        )}
      </div>
      <p class="where">{total.value} memories</p>
      <ul class="memories" aria-label="Memories">
        {memories.value.map((memory) => (
          <MemoryRow key={memory.id} memory={memory} />
        ))}
      </ul>
      {memories.value.length < total.value && (
        <button type="button" onClick={() => void load(true)}>
          More
        </button>
      )}
    </section>
  );
}
