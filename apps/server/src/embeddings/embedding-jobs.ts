import { embedChanges, embeddingConsumer } from "@cairn/core/embeddings/embed-changes";
import type { Embedder } from "@cairn/core/embeddings/embedder";
import type { Store } from "@cairn/core/store/store-port";
import { feedScanJob } from "../jobs/feed-scan-job";
import type { JobHandler, JobRunner } from "../jobs/job-runner";

/** Rows per embedding call, and calls per job run before it yields to other jobs (it is queued again at once). */
const batchSize = 64;
const batchesPerRun = 16;

/**
 * Embeddings as jobs (issue 6): a recurring scan queues one `embeddings.user`
 * job per user whose change feed is past the embedder's cursor (one queued or
 * running per user, by its dedupe key), and that job embeds the changes. The
 * write path never touches the embedder: a write only moves the user's change
 * counter, which the scan notices.
 */
export function embeddingJobs(
  deps: { store: Store; embedder: Embedder; now: () => Date },
  scanEveryMs: number,
  runner: () => JobRunner,
): JobHandler[] {
  return [
    feedScanJob(
      deps.store,
      {
        kind: "embeddings.scan",
        consumer: embeddingConsumer(deps.embedder.model),
        userKind: "embeddings.user",
        everyMs: scanEveryMs,
      },
      runner,
    ),
    {
      kind: "embeddings.user",
      maxAttempts: 8,
      timeoutMs: 5 * 60_000,
      async run(job, context) {
        if (job.userId === null) return undefined;
        const result = await embedChanges(
          { ...deps, store: deps.store.forUser(job.userId) },
          {
            batchSize,
            maxBatches: batchesPerRun,
            signal: context.signal,
          },
        );
        return result.more ? { again: true } : undefined;
      },
    },
  ];
}
