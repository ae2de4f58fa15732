import * as z from "zod";
import type { JobCount } from "../jobs/job-entities";
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
