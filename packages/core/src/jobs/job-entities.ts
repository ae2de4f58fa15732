/**
 * The durable job table's rows (SPEC section 7): every background task of the
 * server (webhook deliveries, embeddings, session summaries, the trash purge,
 * idle-session closing) is a row here, claimed under a lease and retried.
 */
export type JobStatus = "queued" | "running" | "done" | "dead";

export interface Job {
  id: string;
  kind: string;
  /** The user the job works for; null for the server's own periodic work. */
  userId: string | null;
  /** At most one queued-or-running job holds a given key (a recurring job, one embedding pass per user). */
  dedupeKey: string | null;
  /** Jobs that share a partition (the deliveries to one endpoint) are limited in how many run at once. */
  partitionKey: string | null;
  payload: Record<string, unknown>;
  status: JobStatus;
  /** Claims so far, this one included. */
  attempts: number;
  maxAttempts: number;
  runAt: string;
  leaseOwner: string | null;
  leaseUntil: string | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewJob {
  id: string;
  kind: string;
  userId: string | null;
  dedupeKey: string | null;
  partitionKey?: string | null | undefined;
  payload: Record<string, unknown>;
  maxAttempts: number;
  runAt: string;
  createdAt: string;
}

export interface JobClaim {
  /** The claiming worker (process); only it may finish or extend what it claimed. */
  owner: string;
  kinds: string[];
  limit: number;
  /** Partitions the claimer has enough of in flight already: none of their jobs is claimed. */
  skipPartitions?: string[] | undefined;
  now: string;
  leaseUntil: string;
}

/** How a claimed job ended: done, back in the queue for a later attempt, or dead (no attempts left). */
export type JobOutcome =
  | { status: "done" }
  | { status: "queued"; runAt: string; error: string }
  /** A recurring job's next run: the same row, queued again with its attempts reset (no row per run). */
  | { status: "rescheduled"; runAt: string }
  | { status: "dead"; error: string };

export interface JobListQuery {
  status?: JobStatus | undefined;
  kind?: string | undefined;
  limit: number;
  offset: number;
}

/** Per kind and status: how many, and the oldest due time among them. */
export interface JobCount {
  kind: string;
  status: JobStatus;
  count: number;
  oldestRunAt: string;
}
