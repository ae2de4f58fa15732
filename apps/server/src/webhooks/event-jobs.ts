import type { LanguageModelV3 } from "@ai-sdk/provider";
import { summarizeSession } from "@cairn/core/sessions/session-summary";
import type { Alert } from "@cairn/core/store/store-types";
import { userScopes } from "@cairn/core/user-scope";
import { alertKind, eventsConsumer, fanOut, queueFeedEvents, summarizeKind } from "@cairn/core/webhooks/fan-out";
import type { WebhookEvent } from "@cairn/core/webhooks/webhook-entities";
import { feedScanJob } from "../jobs/feed-scan-job";
import type { JobHandler, JobRunner } from "../jobs/job-runner";
import type { ServerDeps } from "../server-deps";
import { deliveryJob } from "./delivery-job";
import { modelSummary } from "./model-summary";

/**
 * The jobs behind webhooks and session summaries: a recurring scan queues one
 * `events.user` job per user with unread changes; that job turns changes
 * into deliveries and ended sessions into `session.summarize` jobs; each
 * summary then fires `session.ended`; the delete guard's alerts fire
 * `destruction.alert`; `webhook.deliver` sends each one (here, or on the
 * delivery thread when the server runs one).
 */
export function eventJobs(
  deps: ServerDeps,
  settings: {
    scanEveryMs: number;
    model: LanguageModelV3 | null;
    /** False when a delivery thread sends them (delivery-thread.ts): this runner then never claims one. */
    deliverHere: boolean;
  },
  runner: () => JobRunner,
): JobHandler[] {
  const scope = userScopes(deps);
  /** One event that is not a change of the feed, to every subscribed endpoint of the user; then deliver. */
  const fire = async (userId: string, event: WebhookEvent) => {
    const endpoints = await deps.store.forUser(userId).listWebhookEndpoints();
    const at = deps.now().toISOString();
    await deps.store.system.transaction((tx) => fanOut(tx, userId, event, endpoints, { newId: deps.newId, at }));
    runner().wake();
  };
  return [
    ...(settings.deliverHere ? [deliveryJob(deps)] : []),
    feedScanJob(
      deps.store,
      { kind: "events.scan", consumer: eventsConsumer, userKind: "events.user", everyMs: settings.scanEveryMs },
      runner,
    ),
    {
      kind: "events.user",
      maxAttempts: 8,
      timeoutMs: 5 * 60_000,
      async run(job) {
        if (job.userId === null) return undefined;
        const result = await queueFeedEvents(deps, job.userId, { batchSize: 100, maxBatches: 50 });
        if (result.deliveries > 0 || result.summaries > 0) runner().wake();
        return result.more ? { again: true } : undefined;
      },
    },
    {
      kind: summarizeKind,
      maxAttempts: 8,
      timeoutMs: 5 * 60_000,
      async run(job, context) {
        const userId = job.userId ?? "";
        const sessionId = String(job.payload.sessionId ?? "");
        const generate = settings.model
          ? (texts: string[]) => modelSummary(settings.model as LanguageModelV3, texts, context.signal)
          : null;
        const result = await summarizeSession(scope(userId), sessionId, generate);
        if (!result) return undefined;
        await fire(userId, {
          id: `session.ended:${sessionId}`,
          type: "session.ended",
          createdAt: result.session.endedAt ?? deps.now().toISOString(),
          data: {
            session: result.session,
            summary: result.memory ? { memoryId: result.memory.id, content: result.memory.content } : null,
          },
        });
        return undefined;
      },
    },
    {
      kind: alertKind,
      maxAttempts: 8,
      timeoutMs: 60_000,
      async run(job) {
        const userId = job.userId ?? "";
        const alertId = String(job.payload.alertId ?? "");
        const { alerts } = await deps.store.forUser(userId).listAlerts({ limit: 100, offset: 0 });
        const alert: Alert | undefined = alerts.find((each) => each.id === alertId);
        if (!alert) return undefined;
        await fire(userId, {
          id: `destruction.alert:${alert.id}:${alert.severity}`,
          type: "destruction.alert",
          createdAt: alert.updatedAt,
          data: { alert },
        });
        return undefined;
      },
    },
  ];
}
