import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { pageActions } from "./page-actions";
import { Outcome } from "./page-outcome";

type Alert = OutputOf<typeof api.listAlerts>["alerts"][number];
type TrashItem = OutputOf<typeof api.listTrash>["items"][number];
type AuditEvent = OutputOf<typeof api.audit>["entries"][number];

const audit = signal<AuditEvent[]>([]);
const auditTotal = signal(0);
const auditAction = signal("");
const auditActions = [
  "delete",
  "restore",
  "purge",
  "conflict",
  "alert.raised",
  "alert.escalated",
  "alert.ack",
  "recovery",
];

async function loadAudit(more = false): Promise<void> {
  const page = await call(api.audit, {
    query: {
      limit: pageSize,
      offset: more ? audit.value.length : 0,
      ...(auditAction.value ? { action: auditAction.value } : {}),
    },
  });
  audit.value = more ? [...audit.value, ...page.entries] : page.entries;
  auditTotal.value = page.total;
}

/** What an audit event says in words; a conflict shows the version that lost, kept here so nothing is silently dropped. */
function auditText(event: AuditEvent): string {
  const target = event.targetType ? `${event.targetType} ${event.targetId ?? ""}`.trim() : "";
  if (event.action === "conflict") {
    const loser = event.details.loser as { content?: string; title?: string } | undefined;
    const winner = event.details.winner as { content?: string; title?: string } | undefined;
    return `${target}: kept “${winner?.content ?? winner?.title ?? "?"}”, lost “${loser?.content ?? loser?.title ?? "?"}”`;
  }
  return target;
}

const alerts = signal<Alert[]>([]);
const alertsTotal = signal(0);
const trash = signal<TrashItem[]>([]);
const trashTotal = signal(0);
/** The trash row whose purge waits for a second click. */
const confirming = signal<string | null>(null);

const trashDays = 30;
const pageSize = 50;

function daysLeft(deletedAt: string): number {
  return Math.max(0, trashDays - Math.floor((Date.now() - Date.parse(deletedAt)) / 86_400_000));
}

async function load(more = false): Promise<void> {
  try {
    const [open, page] = await Promise.all([
      call(api.listAlerts, { query: { open: true, limit: Math.max(20, alerts.value.length) } }),
      call(api.listTrash, { query: { limit: pageSize, offset: more ? trash.value.length : 0 } }),
    ]);
    alerts.value = open.alerts;
    alertsTotal.value = open.total;
    await loadAudit();
    trash.value = more ? [...trash.value, ...page.items] : page.items;
    trashTotal.value = page.total;
  } catch (error) {
    failure.value = (error as Error).message;
  }
}

const { notice, failure, act } = pageActions(() => load());

/** Restores every row an alert's burst deleted that is still in the trash, in one call (safe to repeat). */
async function restoreBurst(alert: Alert): Promise<string> {
  const result = await call(api.restoreBurst, { params: { id: alert.id } });
  const gone = result.missing.length;
  return `Restored ${result.restored.length} of the ${alert.deletedIds.length} rows that alert counted${
    gone > 0 ? ` (${gone} were no longer in the trash: restored already, or purged)` : ""
  }.`;
}

/**
 * The safety centre: open mass-deletion alerts with the ids they counted (acknowledge, or restore
 * the whole burst), the trash with the days each row has left (restore one, or purge it after a
 * second click), and the audit log (conflicts with the version that lost).
 */
export function SafetyPage() {
  useEffect(() => {
    void load();
  }, []);
  return (
    <section aria-labelledby="safety-title">
      <h1 id="safety-title">Safety</h1>
      <Outcome notice={notice} failure={failure} />
      <h2>Open alerts</h2>
      {alerts.value.length === 0 ? (
        <p class="empty">No open alert: no burst of deletes.</p>
      ) : (
        <ul class="alerts" aria-label="Open alerts">
          {alerts.value.map((alert) => (
            <li key={alert.id} class={`alert ${alert.severity}`}>
              <p>
                <strong>{alert.severity === "critical" ? "Critical" : "Warning"}:</strong> {alert.deleteCount} deletes
                between <time dateTime={alert.windowStart}>{new Date(alert.windowStart).toLocaleString()}</time> and{" "}
                <time dateTime={alert.windowEnd}>{new Date(alert.windowEnd).toLocaleString()}</time>
                {alert.blockedCount > 0 ? `, ${alert.blockedCount} held back by the guard` : ""}.
              </p>
              <details>
                <summary>The {alert.deletedIds.length} deleted ids</summary>
                <ul class="ids">
                  {alert.deletedIds.map((id) => (
                    <li key={id}>
                      <code>{id}</code>
                    </li>
                  ))}
                </ul>
              </details>
              <div class="actions">
                <button type="button" onClick={() => void act(() => restoreBurst(alert))}>
                  Restore all {alert.deletedIds.length}
                </button>
                <button
                  type="button"
                  onClick={() =>
                    void act(async () => {
                      await call(api.ackAlert, { params: { id: alert.id } });
                      return "Alert acknowledged.";
                    })
                  }
                >
                  Acknowledge
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {alerts.value.length < alertsTotal.value && (
        <button
          type="button"
          onClick={async () => {
            const page = await call(api.listAlerts, { query: { open: true, limit: 20, offset: alerts.value.length } });
            alerts.value = [...alerts.value, ...page.alerts];
          }}
        >
          More alerts
        </button>
      )}
      <h2>Trash</h2>
      {trash.value.length === 0 ? (
        <p class="empty">The trash is empty.</p>
      ) : (
        <table class="trash">
          <caption>
            {trashTotal.value} deleted rows, kept {trashDays} days
          </caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Row</th>
              <th scope="col">Days left</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {trash.value.map((item) => {
              const key = `${item.type}:${item.id}`;
              return (
                <tr key={key}>
                  <td>{item.type}</td>
                  <td>
                    <span class="where">
                      {item.projectId}
                      {item.threadId ? `/${item.threadId}` : ""}
                    </span>{" "}
                    {item.preview}
                  </td>
                  <td>{daysLeft(item.deletedAt)}</td>
                  <td class="actions">
                    <button
                      type="button"
                      aria-label={`Restore ${item.type} ${item.preview.slice(0, 40)}`}
                      onClick={() =>
                        void act(async () => {
                          await call(api.restoreFromTrash, {
                            body: { type: item.type, id: item.id, project: item.projectId },
                          });
                          return `Restored the ${item.type}.`;
                        })
                      }
                    >
                      Restore
                    </button>
                    <button
                      type="button"
                      class={confirming.value === key ? "danger" : ""}
                      aria-label={`${confirming.value === key ? "Confirm purge of" : "Purge"} ${item.type} ${item.preview.slice(0, 40)}`}
                      onClick={() => {
                        if (confirming.value !== key) {
                          confirming.value = key;
                          return;
                        }
                        confirming.value = null;
                        void act(async () => {
                          await call(api.purgeFromTrash, {
                            body: { type: item.type, id: item.id, project: item.projectId },
                          });
                          return `Purged the ${item.type}: it is gone for good.`;
                        });
                      }}
                    >
                      {confirming.value === key ? "Confirm purge" : "Purge"}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {trash.value.length < trashTotal.value && (
        <button type="button" onClick={() => void load(true)}>
          More
        </button>
      )}
      <h2>Audit log</h2>
      <form
        class="filters"
        aria-label="Filter the audit log"
        onSubmit={(event) => {
          event.preventDefault();
          auditAction.value = String(new FormData(event.currentTarget as HTMLFormElement).get("action") ?? "");
          void loadAudit();
        }}
      >
        <label for="audit-action">Action</label>
        <select id="audit-action" name="action">
          <option value="">All</option>
          {auditActions.map((action) => (
            <option key={action} value={action}>
              {action}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </form>
      <ol class="timeline" aria-label="Audit log, newest first">
        {audit.value.map((event) => (
          <li key={event.id}>
            <div class="meta">
              <span class="kind">{event.action}</span>
              <time dateTime={event.at}>{new Date(event.at).toLocaleString()}</time>
              {event.deviceId && <span class="where">{event.deviceId}</span>}
            </div>
            <p class="text">{auditText(event)}</p>
          </li>
        ))}
      </ol>
      {audit.value.length < auditTotal.value && (
        <button type="button" onClick={() => void loadAudit(true)}>
          More of the log
        </button>
      )}
    </section>
  );
}
