import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { pageActions } from "./page-actions";
import { Outcome } from "./page-outcome";

type JobsPage = OutputOf<typeof api.adminJobs>;
type Status = "queued" | "running" | "done" | "dead";

const shown = signal<JobsPage | null>(null);
const status = signal<Status | "">("dead");
const pageSize = 50;

async function load(more = false): Promise<void> {
  try {
    const before = more ? (shown.value?.jobs ?? []) : [];
    const page = await call(api.adminJobs, {
      query: { limit: pageSize, offset: before.length, ...(status.value ? { status: status.value } : {}) },
    });
    shown.value = { ...page, jobs: [...before, ...page.jobs] };
  } catch (error) {
    failure.value = (error as Error).message;
  }
}

const { notice, failure, act } = pageActions(() => load());

/**
 * The server's background jobs, for its administrators (CAIRN_ADMIN_USERS): totals by status, the
 * dead ones by kind, and each job with its last error; a dead job can be queued again once what
 * killed it is fixed (a webhook receiver back up, say).
 */
export function JobsPage() {
  useEffect(() => {
    void load();
  }, []);
  const page = shown.value;
  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">Jobs</h1>
      <Outcome notice={notice} failure={failure} />
      {page && (
        <p class="where">
          {page.summary.queued} queued · {page.summary.running} running · {page.summary.done} done ·{" "}
          <strong>{page.summary.dead} dead</strong>
          {page.summary.oldestDueSeconds > 0 ? ` · the oldest due job waits ${page.summary.oldestDueSeconds} s` : ""}
          {Object.entries(page.summary.deadByKind)
            .map(([kind, count]) => ` · ${kind}: ${count} dead`)
            .join("")}
        </p>
      )}
      <form class="search-form" onSubmit={(event) => event.preventDefault()}>
        <label for="job-status">Status</label>
        <select
          id="job-status"
          value={status.value}
          onChange={(event) => {
            status.value = event.currentTarget.value as Status | "";
            void load();
          }}
        >
          <option value="dead">Dead</option>
          <option value="queued">Queued</option>
          <option value="running">Running</option>
          <option value="done">Done</option>
          <option value="">All</option>
        </select>
      </form>
      {page && page.jobs.length === 0 && <p class="empty">No {status.value || ""} jobs.</p>}
      <ul class="jobs" aria-label="Jobs, latest change first">
        {page?.jobs.map((job) => (
          <li key={job.id}>
            <p class="meta">
              <span class="kind">{job.kind}</span>
              <span class={`badge ${job.status}`}>{job.status}</span>
              <span class="where">
                attempt {job.attempts} of {job.maxAttempts}
                {job.userId ? ` · for user ${job.userId}` : ""}
              </span>
              <time dateTime={job.updatedAt}>{new Date(job.updatedAt).toLocaleString()}</time>
              <code class="ref">{job.id}</code>
            </p>
            {job.lastError && <p class="text error-text">{job.lastError}</p>}
            {job.status === "dead" && (
              <button
                type="button"
                class="small"
                aria-label={`Retry job ${job.id}`}
                onClick={() =>
                  void act(async () => {
                    await call(api.retryJob, { params: { id: job.id } });
                    return `Job ${job.id} is queued again.`;
                  })
                }
              >
                Retry
              </button>
            )}
          </li>
        ))}
      </ul>
      {page && page.jobs.length < page.total && (
        <button type="button" onClick={() => void load(true)}>
          More jobs
        </button>
      )}
    </section>
  );
}
