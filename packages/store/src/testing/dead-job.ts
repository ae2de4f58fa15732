import type { Store } from "@cairn/core/store/store-port";

/**
 * Puts a job in the table that has run out of attempts, as the runner leaves one (for the tests
 * of what an administrator sees and retries). Due before anything else of its kind, so the claim
 * that kills it takes this one.
 */
export async function addDeadJob(
  store: Store,
  job: { id: string; kind: string; error: string; userId?: string | null; dedupeKey?: string | null },
): Promise<void> {
  const due = "2000-01-01T00:00:00.000Z";
  const now = new Date().toISOString();
  await store.system.transaction(async (tx) => {
    await tx.enqueueJob({
      id: job.id,
      kind: job.kind,
      userId: job.userId ?? null,
      dedupeKey: job.dedupeKey ?? null,
      payload: {},
      maxAttempts: 1,
      runAt: due,
      createdAt: due,
    });
    const leaseUntil = new Date(Date.now() + 60_000).toISOString();
    const [claimed] = await tx.claimJobs({ owner: "test", kinds: [job.kind], limit: 1, now, leaseUntil });
    if (claimed?.id !== job.id) throw new Error(`claimed ${claimed?.id ?? "nothing"}, not ${job.id}`);
    await tx.finishJob(job.id, "test", { status: "dead", error: job.error }, now);
  });
}
