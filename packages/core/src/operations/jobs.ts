import * as z from "zod";
import { AppError } from "../app-error";
import type { JobCount } from "../jobs/job-entities";
import type { SystemStore } from "../store/store-port";
import type { JobReads } from "../store/store-roles";
import { parseInput } from "../validate";

export const listJobsInput = z.object({
  status: z.enum(["queued", "running", "done", "dead"]).optional(),
  kind: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});

/** What the job table holds: totals by status, the dead by kind, how late the oldest due job is. */
export function jobSummary(counts: JobCount[], now: Date) {
  const total = (status: JobCount["status"]) =>
    counts.filter((row) => row.status === status).reduce((sum, row) => sum + row.count, 0);
  const due = counts.filter((row) => row.status === "queued" && Date.parse(row.oldestRunAt) <= now.getTime());
  const oldest = due.reduce((min, row) => Math.min(min, Date.parse(row.oldestRunAt)), Number.POSITIVE_INFINITY);
  return {
    queued: total("queued"),
    running: total("running"),
    done: total("done"),
    dead: total("dead"),
    deadByKind: Object.fromEntries(counts.filter((row) => row.status === "dead").map((row) => [row.kind, row.count])),
    oldestDueSeconds: Number.isFinite(oldest) ? Math.max(0, Math.round((now.getTime() - oldest) / 1000)) : 0,
  };
}

/** `cairn admin jobs`: the summary and the most recently changed jobs, newest first. */
export async function listJobs(deps: { jobs: JobReads; now: () => Date }, input: z.input<typeof listJobsInput>) {
  const query = parseInput(listJobsInput, input);
  const [counts, page] = await Promise.all([deps.jobs.countJobs(), deps.jobs.listJobs(query)]);
  return { summary: jobSummary(counts, deps.now()), jobs: page.jobs, total: page.total };
}

/**
 * An administrator's retry of a dead job (after fixing what killed it): queued again now, with
 * fresh attempts. `conflict` when it is not dead, or another queued job holds its dedupe key.
 */
export async function retryJob(deps: { jobs: SystemStore; now: () => Date }, id: string) {
  const jobId = parseInput(z.string().min(1).max(100), id);
  const retried = await deps.jobs.transaction((tx) => tx.retryDeadJob(jobId, deps.now().toISOString()));
  const job = await deps.jobs.getJob(jobId);
  if (!job) throw new AppError("not_found", `No job ${jobId}`);
  if (!retried && job.status === "dead") {
    throw new AppError("conflict", `Job ${jobId} was not retried: another queued job holds its dedupe key`, {
      details: { status: job.status, dedupeKey: job.dedupeKey },
      hint: "That job does the same work; see it with cairn admin jobs --kind.",
    });
  }
  if (!retried) {
    throw new AppError("conflict", `Job ${jobId} is ${job.status}; only a dead job is retried`, {
      details: { status: job.status },
      hint: "A queued or running job retries by itself.",
    });
  }
  return { job };
}
