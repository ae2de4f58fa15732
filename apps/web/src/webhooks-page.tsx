import { webhookEventTypes } from "@cairn/core/webhooks/webhook-entities";
import { api } from "@cairn/core/wire/api";
import type { OutputOf } from "@cairn/core/wire/endpoint";
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { call } from "./api-client";
import { checkForm } from "./form-check";
import { FailureAlert } from "./page-outcome";

type Webhook = OutputOf<typeof api.listWebhooks>["webhooks"][number];
type Delivery = OutputOf<typeof api.webhookDeliveries>["deliveries"][number];
type Status = "pending" | "delivered" | "dead";

const webhooks = signal<Webhook[]>([]);
const deliveries = signal<Delivery[]>([]);
const deliveriesTotal = signal(0);
const status = signal<Status | "">("");
/** The signing secret of the endpoint just added: shown once, never again. */
const secret = signal<{ url: string; secret: string } | null>(null);
const failure = signal<string | null>(null);
const pageSize = 50;

async function load(more = false): Promise<void> {
  try {
    const [listed, log] = await Promise.all([
      call(api.listWebhooks, {}),
      call(api.webhookDeliveries, {
        query: {
          limit: pageSize,
          offset: more ? deliveries.value.length : 0,
          ...(status.value ? { status: status.value } : {}),
        },
      }),
    ]);
    webhooks.value = listed.webhooks;
    deliveries.value = more ? [...deliveries.value, ...log.deliveries] : log.deliveries;
    deliveriesTotal.value = log.total;
  } catch (error) {
    failure.value = (error as Error).message;
  }
}

/**
 * Webhooks: the endpoints Cairn posts events to (add one and see its signing secret once, remove
 * one), and the delivery log: each event to each endpoint, its attempts, last status and timing;
 * the dead ones are those that failed every retry.
 */
export function WebhooksPage() {
  useEffect(() => {
    void load();
  }, []);
  function add(event: Event) {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const url = String(data.get("url") ?? "").trim();
    const events = data.getAll("events").map(String) as (typeof webhookEventTypes)[number][];
    failure.value = null;
    void (async () => {
      try {
        await checkForm("addWebhook", { url, events });
        const created = await call(api.addWebhook, { body: { url, events } });
        secret.value = { url: created.webhook.url, secret: created.secret };
        form.reset();
      } catch (error) {
        failure.value = (error as Error).message;
      }
      await load();
    })();
  }
  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">Webhooks</h1>
      <form onSubmit={add} aria-label="Add a webhook" class="search-form">
        <label for="url">Endpoint URL</label>
        <input id="url" name="url" type="url" required placeholder="https://n8n.example.com/webhook/cairn" />
        <fieldset class="events">
          <legend>Events</legend>
          {webhookEventTypes.map((type) => (
            <label key={type}>
              <input type="checkbox" name="events" value={type} /> {type}
            </label>
          ))}
        </fieldset>
        <button type="submit">Add</button>
      </form>
      <FailureAlert message={failure.value} />
      {secret.value && (
        <p role="status" class="secret">
          Signing secret for {secret.value.url} (shown once, keep it): <code>{secret.value.secret}</code>
        </p>
      )}
      <ul class="threads" aria-label="Endpoints">
        {webhooks.value.map((webhook) => (
          <li key={webhook.id}>
            <code>{webhook.url}</code> <span class="where">{webhook.events.join(", ")}</span>{" "}
            <button
              type="button"
              class="small"
              aria-label={`Remove ${webhook.url}`}
              onClick={() =>
                void (async () => {
                  await call(api.removeWebhook, { params: { id: webhook.id } }).catch((error: Error) => {
                    failure.value = error.message;
                  });
                  await load();
                })()
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <h2>Delivery log</h2>
      <form
        class="filters"
        aria-label="Filter the delivery log"
        onSubmit={(event) => {
          event.preventDefault();
          status.value = String(new FormData(event.currentTarget as HTMLFormElement).get("status") ?? "") as
            | Status
            | "";
          void load();
        }}
      >
        <label for="delivery-status">Status</label>
        <select id="delivery-status" name="status">
          <option value="">All</option>
          <option value="pending">Pending</option>
          <option value="delivered">Delivered</option>
          <option value="dead">Dead (every retry failed)</option>
        </select>
        <button type="submit">Show</button>
      </form>
      <table class="trash">
        <caption>{deliveriesTotal.value} deliveries</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last answer</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.value.map((delivery) => (
            <tr key={delivery.id}>
              <td>
                {delivery.eventType} <span class="where">{new Date(delivery.createdAt).toLocaleString()}</span>
              </td>
              <td>{delivery.status}</td>
              <td>{delivery.attempts}</td>
              <td>
                {delivery.lastStatus ?? ""} {delivery.lastError ?? ""}
                {delivery.lastDurationMs !== null ? ` (${Math.round(delivery.lastDurationMs)} ms)` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deliveries.value.length < deliveriesTotal.value && (
        <button type="button" onClick={() => void load(true)}>
          More
        </button>
      )}
    </section>
  );
}
