import { findDuePhrase } from "@cairn/core/due-date";
import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { checkForm } from "./form-check";
import { fieldsOf, pageActions } from "./page-actions";
import { Outcome } from "./page-outcome";

type Task = OutputOf<typeof api.listTasks>["tasks"][number];

const open = signal<Task[]>([]);
const done = signal<Task[]>([]);
const openTotal = signal(0);
const doneTotal = signal(0);
/** The project shown (its tasks and the personal ones), or every task. */
const shownProject = signal("");
const openPage = 100;
const donePage = 20;
/** The task being edited in place. */
const editing = signal<string | null>(null);

/** Open and done tasks from the start, as many of each as were shown (a change keeps the pages read). */
async function load(): Promise<void> {
  try {
    const project = shownProject.value ? { project: shownProject.value } : {};
    const [pending, finished] = await Promise.all([
      call(api.listTasks, { query: { status: "open", limit: Math.max(openPage, open.value.length), ...project } }),
      call(api.listTasks, { query: { status: "done", limit: Math.max(donePage, done.value.length), ...project } }),
    ]);
    open.value = pending.tasks;
    openTotal.value = pending.total;
    done.value = finished.tasks;
    doneTotal.value = finished.total;
  } catch (error) {
    failure.value = (error as Error).message;
  }
}

async function more(status: "open" | "done"): Promise<void> {
  const shown = status === "open" ? open : done;
  try {
    const page = await call(api.listTasks, {
      query: {
        status,
        limit: status === "open" ? openPage : donePage,
        offset: shown.value.length,
        ...(shownProject.value ? { project: shownProject.value } : {}),
      },
    });
    shown.value = [...shown.value, ...page.tasks];
  } catch (error) {
    failure.value = (error as Error).message;
  }
}

const { notice, failure, act } = pageActions(() => load());

/** "pay rent friday": the title, and the due phrase the server reads in the user's words. */
export function quickTask(text: string): { title: string; due?: string } {
  const phrase = findDuePhrase(text);
  if (!phrase) return { title: text.trim() };
  const title = `${text.slice(0, phrase.start)} ${text.slice(phrase.end)}`.replace(/\s+/g, " ").trim();
  return title ? { title, due: phrase.due } : { title: text.trim() };
}

function dayKey(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Open tasks by when they are due: overdue, today, later (by day), and with no date. */
function groups(tasks: Task[]): { name: string; tasks: Task[] }[] {
  const today = dayKey(new Date());
  const by = new Map<string, Task[]>();
  for (const task of tasks) {
    const day = task.dueAt ? dayKey(new Date(task.dueAt)) : null;
    const name =
      day === null
        ? "No date"
        : day < today
          ? "Overdue"
          : day === today
            ? "Today"
            : `Due ${new Date(task.dueAt as string).toLocaleDateString(undefined, { weekday: "long", month: "short", day: "numeric" })}`;
    by.set(name, [...(by.get(name) ?? []), task]);
  }
  const order = (name: string) => (name === "Overdue" ? 0 : name === "Today" ? 1 : name === "No date" ? 3 : 2);
  return [...by.entries()]
    .map(([name, list]) => ({ name, tasks: list }))
    .sort((a, b) => order(a.name) - order(b.name) || (a.tasks[0]?.dueAt ?? "").localeCompare(b.tasks[0]?.dueAt ?? ""));
}

/** Editing a task in place: its title and its due date in plain words ("next monday"; empty clears it). */
function TaskEditor({ task }: { task: Task }) {
  function save(event: Event) {
    event.preventDefault();
    const field = fieldsOf(event.currentTarget as HTMLFormElement);
    const title = field("title");
    const due = field("due");
    const priority = (field("priority") || task.priority) as Task["priority"];
    void act(async () => {
      const body = { ...(title ? { title } : {}), due: due === "" ? null : due, priority };
      await checkForm("updateTask", { id: task.id, ...body });
      await call(api.updateTask, { params: { id: task.id }, body });
      editing.value = null;
      return `Saved “${title || task.title}”.`;
    });
  }
  return (
    <li>
      <form class="task-editor" onSubmit={save} aria-label={`Edit ${task.title}`}>
        <label for={`title-${task.id}`}>Title</label>
        <input id={`title-${task.id}`} name="title" type="text" defaultValue={task.title} />
        <label for={`due-${task.id}`}>Due</label>
        <input
          id={`due-${task.id}`}
          name="due"
          type="text"
          placeholder="friday, in 3 days, 2026-12-24"
          defaultValue={task.dueAt ? task.dueAt.slice(0, 10) : ""}
        />
        <label for={`priority-${task.id}`}>Priority</label>
        <select id={`priority-${task.id}`} name="priority" defaultValue={task.priority}>
          {["low", "normal", "high", "urgent"].map((priority) => (
            <option key={priority} value={priority}>
              {priority}
            </option>
          ))}
        </select>
        <button type="submit">Save</button>
        <button type="button" onClick={() => (editing.value = null)}>
          Cancel
        </button>
      </form>
    </li>
  );
}

function TaskRow({ task }: { task: Task }) {
  if (editing.value === task.id) return <TaskEditor task={task} />;
  return (
    <li class={task.status === "done" ? "done" : ""}>
      <input
        type="checkbox"
        id={`task-${task.id}`}
        checked={task.status === "done"}
        disabled={task.status === "done"}
        onChange={() => {
          // Shown done at once; the list is read again once the server has it.
          open.value = open.value.map((each) => (each.id === task.id ? { ...each, status: "done" } : each));
          void act(async () => {
            await call(api.completeTask, { params: { id: task.id } });
            return `Done: ${task.title}`;
          });
        }}
      />{" "}
      <label for={`task-${task.id}`}>{task.title}</label>{" "}
      <span class="where">
        {task.projectId ?? "personal"}
        {task.priority !== "normal" ? ` · ${task.priority}` : ""}
      </span>
      {task.status !== "done" && (
        <button type="button" class="small" aria-label={`Edit ${task.title}`} onClick={() => (editing.value = task.id)}>
          Edit
        </button>
      )}
      {task.status !== "done" && (
        <button
          type="button"
          class="small"
          aria-label={`Delete ${task.title}`}
          onClick={() =>
            void act(async () => {
              await call(api.deleteTask, { params: { id: task.id } });
              return `Deleted “${task.title}”: it is in the trash for 30 days.`;
            })
          }
        >
          Delete
        </button>
      )}
    </li>
  );
}

/**
 * Tasks, personal and per project, grouped by when they are due; a quick add in plain words
 * ("pay rent friday": the due date is read from the words), edit in place, complete and delete.
 */
export function TasksPage() {
  useEffect(() => {
    void load();
  }, []);
  function add(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const field = fieldsOf(form);
    const text = field("task");
    const project = field("task-project");
    if (!text) return;
    void act(async () => {
      const { title, due } = quickTask(text);
      const body = { title, ...(due ? { due } : {}), ...(project ? { project } : {}) };
      await checkForm("addTask", body);
      const { task } = await call(api.addTask, { body });
      form.reset();
      return `Added “${task.title}”${task.dueAt ? `, due ${new Date(task.dueAt).toLocaleDateString()}` : ""}.`;
    });
  }
  return (
    <section aria-labelledby="tasks-title">
      <h1 id="tasks-title">Tasks</h1>
      <form class="search-form" onSubmit={add}>
        <label for="task">New task</label>
        <input id="task" name="task" type="text" placeholder="pay rent friday" />
        <label for="task-project">Project</label>
        <input id="task-project" name="task-project" type="text" placeholder="personal" />
        <button type="submit">Add</button>
      </form>
      <Outcome notice={notice} failure={failure} />
      <form
        class="search-form"
        onSubmit={(event) => {
          event.preventDefault();
          shownProject.value = fieldsOf(event.currentTarget)("show-project");
          open.value = [];
          done.value = [];
          void load();
        }}
      >
        <label for="show-project">Show project</label>
        <input id="show-project" name="show-project" type="text" placeholder="every project" />
        <button type="submit">Show</button>
      </form>
      <p class="where">
        {shownProject.value ? `${shownProject.value} and personal` : "Every project and personal"} · {openTotal.value}{" "}
        open
      </p>
      {open.value.length === 0 && <p class="empty">Nothing to do.</p>}
      {groups(open.value).map((group) => (
        <section key={group.name} aria-label={group.name}>
          <h2>{group.name}</h2>
          <ul class="tasks">
            {group.tasks.map((task) => (
              <TaskRow key={task.id} task={task} />
            ))}
          </ul>
        </section>
      ))}
      {open.value.length < openTotal.value && (
        <button type="button" onClick={() => void more("open")}>
          More open tasks
        </button>
      )}
      {done.value.length > 0 && (
        <details>
          <summary>Done ({doneTotal.value})</summary>
          <ul class="tasks">
            {done.value.map((task) => (
              <TaskRow key={task.id} task={task} />
            ))}
          </ul>
          {done.value.length < doneTotal.value && (
            <button type="button" onClick={() => void more("done")}>
              More done tasks
            </button>
          )}
        </details>
      )}
    </section>
  );
}
