import type {
  Job,
  JobClaim,
  JobCount,
  JobListQuery,
  JobOutcome,
  JobStatus,
  NewJob,
} from "@cairn/core/jobs/job-entities";
import { isoTime, isoTimeOrNull } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

/**
 * The durable job table (SPEC section 7). A claim is one UPDATE … RETURNING
 * over the due rows: on PostgreSQL its inner SELECT takes the rows FOR UPDATE
 * SKIP LOCKED, so two servers claiming at once get disjoint jobs without
 * waiting on each other; on SQLite the statement holds the database's write
 * lock, which serialises claims just as well.
 */

const jobColumns = `id, kind, user_id, dedupe_key, partition_key, payload, status, attempts, max_attempts, run_at,
  lease_owner, lease_until, last_error, created_at, updated_at`;

interface JobRow {
  id: string;
  kind: string;
  user_id: string | null;
  dedupe_key: string | null;
  partition_key: string | null;
  payload: string;
  status: JobStatus;
  attempts: number | string;
  max_attempts: number | string;
  run_at: string | Date;
  lease_owner: string | null;
  lease_until: string | Date | null;
  last_error: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    dedupeKey: row.dedupe_key,
    partitionKey: row.partition_key,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    status: row.status,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.max_attempts),
    runAt: isoTime(row.run_at),
    leaseOwner: row.lease_owner,
    leaseUntil: isoTimeOrNull(row.lease_until),
    lastError: row.last_error,
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
  };
}

/** Adds a job; false when its dedupe key is already held by a queued or running job. */
export async function enqueueJob(sql: SqlExec, job: NewJob): Promise<boolean> {
  const changed = await sql.run(
    `INSERT INTO jobs (id, kind, user_id, dedupe_key, partition_key, payload, status, attempts, max_attempts,
       run_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)
     ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running') DO NOTHING`,
    [
      job.id,
      job.kind,
      job.userId,
      job.dedupeKey,
      job.partitionKey ?? null,
      JSON.stringify(job.payload),
      job.maxAttempts,
      job.runAt,
      job.createdAt,
      job.createdAt,
    ],
  );
  return changed > 0;
}

/**
 * Claims up to `limit` due jobs of the given kinds: queued ones whose time has
 * come, and running ones whose worker's lease ran out (it died or hung). A job
 * whose lease ran out on its last attempt is dead instead.
 */
export async function claimJobs(sql: SqlExec, claim: JobClaim, lockClause: string): Promise<Job[]> {
  if (claim.kinds.length === 0 || claim.limit <= 0) return [];
  const kinds = claim.kinds.map(() => "?").join(", ");
  await sql.run(
    `UPDATE jobs SET status = 'dead', lease_owner = NULL, lease_until = NULL, updated_at = ?,
       last_error = 'lease expired on the last attempt (the worker died or hung)'
     WHERE status = 'running' AND lease_until < ? AND attempts >= max_attempts AND kind IN (${kinds})`,
    [claim.now, claim.now, ...claim.kinds],
  );
  const skip = claim.skipPartitions ?? [];
  const skipClause =
    skip.length === 0 ? "" : `AND (partition_key IS NULL OR partition_key NOT IN (${skip.map(() => "?").join(", ")}))`;
  // Due queued jobs: the first `limit` of each kind, each an ordered walk of jobs_due_by_kind that stops at
  // the limit (so a backlog of one kind costs another kind's claim nothing), merged by due time.
  const eachKind = claim.kinds.map(
    (_, index) =>
      `SELECT id, run_at FROM (SELECT id, run_at FROM jobs
         WHERE status = 'queued' AND kind = ? AND run_at <= ? AND attempts < max_attempts ${skipClause}
         ORDER BY run_at LIMIT ? ${lockClause}) due_${index}`,
  );
  const rows = await sql.all<JobRow>(
    `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?
     WHERE id IN (SELECT id FROM (${eachKind.join(" UNION ALL ")}) due ORDER BY run_at LIMIT ?)
     RETURNING ${jobColumns}`,
    [
      claim.owner,
      claim.leaseUntil,
      claim.now,
      ...claim.kinds.flatMap((kind) => [kind, claim.now, ...skip, claim.limit]),
      claim.limit,
    ],
  );
  // Then running jobs whose lease ran out (few: at most the slots of the processes that died).
  if (rows.length < claim.limit) {
    rows.push(
      ...(await sql.all<JobRow>(
        `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?
         WHERE id IN (
           SELECT id FROM jobs
           WHERE status = 'running' AND lease_until < ? AND kind IN (${kinds}) AND attempts < max_attempts ${skipClause}
           ORDER BY status, lease_until LIMIT ? ${lockClause})
         RETURNING ${jobColumns}`,
        [claim.owner, claim.leaseUntil, claim.now, claim.now, ...claim.kinds, ...skip, claim.limit - rows.length],
      )),
    );
  }
  return rows.map(toJob).sort((a, b) => a.runAt.localeCompare(b.runAt) || a.id.localeCompare(b.id));
}

/** Ends a claimed job; false when `owner` no longer holds it (its lease ran out and another worker took it). */
export async function finishJob(
  sql: SqlExec,
  id: string,
  owner: string,
  outcome: JobOutcome,
  at: string,
): Promise<boolean> {
  if (outcome.status === "rescheduled") {
    const changed = await sql.run(
      `UPDATE jobs SET status = 'queued', run_at = ?, attempts = 0, last_error = NULL,
         lease_owner = NULL, lease_until = NULL, updated_at = ?
       WHERE id = ? AND status = 'running' AND lease_owner = ?`,
      [outcome.runAt, at, id, owner],
    );
    return changed > 0;
  }
  const runAt = outcome.status === "queued" ? outcome.runAt : null;
  const error = outcome.status === "done" ? null : outcome.error;
  const changed = await sql.run(
    `UPDATE jobs SET status = ?, run_at = COALESCE(?, run_at), last_error = COALESCE(?, last_error),
       lease_owner = NULL, lease_until = NULL, updated_at = ?
     WHERE id = ? AND status = 'running' AND lease_owner = ?`,
    [outcome.status, runAt, error, at, id, owner],
  );
  return changed > 0;
}

/** Moves a running job's lease on (a long job's heartbeat); false when `owner` lost it. */
export async function extendJobLease(sql: SqlExec, id: string, owner: string, until: string): Promise<boolean> {
  const changed = await sql.run(
    "UPDATE jobs SET lease_until = ? WHERE id = ? AND status = 'running' AND lease_owner = ?",
    [until, id, owner],
  );
  return changed > 0;
}

export async function getJob(sql: SqlExec, id: string): Promise<Job | null> {
  const [row] = await sql.all<JobRow>(`SELECT ${jobColumns} FROM jobs WHERE id = ?`, [id]);
  return row ? toJob(row) : null;
}

export async function listJobs(sql: SqlExec, query: JobListQuery): Promise<{ jobs: Job[]; total: number }> {
  const where = "(CAST(? AS TEXT) IS NULL OR status = ?) AND (CAST(? AS TEXT) IS NULL OR kind = ?)";
  const params = [query.status ?? null, query.status ?? null, query.kind ?? null, query.kind ?? null];
  const rows = await sql.all<JobRow>(
    `SELECT ${jobColumns} FROM jobs WHERE ${where} ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  const [count] = await sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM jobs WHERE ${where}`, params);
  return { jobs: rows.map(toJob), total: Number(count?.n ?? 0) };
}

export async function countJobs(sql: SqlExec): Promise<JobCount[]> {
  const rows = await sql.all<{ kind: string; status: JobStatus; n: number | string; oldest: string | Date }>(
    "SELECT kind, status, COUNT(*) AS n, MIN(run_at) AS oldest FROM jobs GROUP BY kind, status ORDER BY kind, status",
  );
  return rows.map((row) => ({
    kind: row.kind,
    status: row.status,
    count: Number(row.n),
    oldestRunAt: isoTime(row.oldest),
  }));
}

/**
 * Queues a dead job again with fresh attempts, due at `at` (an administrator's retry, after fixing
 * what killed it); its last error stays until the next attempt. False when the job is not dead, or
 * when another queued-or-running job holds its dedupe key (that one does the same work).
 */
export async function retryDeadJob(sql: SqlExec, id: string, at: string): Promise<boolean> {
  const changed = await sql.run(
    `UPDATE jobs SET status = 'queued', attempts = 0, run_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
     WHERE id = ? AND status = 'dead' AND (dedupe_key IS NULL OR NOT EXISTS (
       SELECT 1 FROM jobs held WHERE held.dedupe_key = jobs.dedupe_key AND held.status IN ('queued', 'running')))`,
    [at, at, id],
  );
  return changed > 0;
}

/** Deletes finished jobs last touched before `before` (dead ones stay for inspection). */
export async function purgeDoneJobs(sql: SqlExec, before: string): Promise<number> {
  return sql.run("DELETE FROM jobs WHERE status = 'done' AND updated_at < ?", [before]);
}
