import type {
  DeliveryAttempt,
  NewDelivery,
  WebhookDelivery,
  WebhookEndpointWithSecret,
  WebhookEventType,
  WebhookSource,
  WebhookSourceWithSecret,
} from "@cairn/core/webhooks/webhook-entities";
import { isoTime, isoTimeOrNull } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

/** Webhook endpoints, their delivery log, and inbound sources with the replay guard (SPEC section 7). */

interface EndpointRow {
  id: string;
  url: string;
  events: string;
  secret: string;
  created_at: string | Date;
}

function toEndpoint(row: EndpointRow): WebhookEndpointWithSecret {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEventType[],
    secret: row.secret,
    createdAt: isoTime(row.created_at),
  };
}

export async function putWebhookEndpoint(
  sql: SqlExec,
  userId: string,
  endpoint: WebhookEndpointWithSecret,
): Promise<void> {
  await sql.run(
    "INSERT INTO webhook_endpoints (user_id, id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    [userId, endpoint.id, endpoint.url, JSON.stringify(endpoint.events), endpoint.secret, endpoint.createdAt],
  );
}

export async function listWebhookEndpoints(sql: SqlExec, userId: string): Promise<WebhookEndpointWithSecret[]> {
  const rows = await sql.all<EndpointRow>(
    "SELECT id, url, events, secret, created_at FROM webhook_endpoints WHERE user_id = ? ORDER BY created_at, id",
    [userId],
  );
  return rows.map(toEndpoint);
}

export async function getWebhookEndpoint(
  sql: SqlExec,
  userId: string,
  id: string,
): Promise<WebhookEndpointWithSecret | null> {
  const [row] = await sql.all<EndpointRow>(
    "SELECT id, url, events, secret, created_at FROM webhook_endpoints WHERE user_id = ? AND id = ?",
    [userId, id],
  );
  return row ? toEndpoint(row) : null;
}

export async function deleteWebhookEndpoint(sql: SqlExec, userId: string, id: string): Promise<boolean> {
  return (await sql.run("DELETE FROM webhook_endpoints WHERE user_id = ? AND id = ?", [userId, id])) > 0;
}

/** Adds a delivery; false when the endpoint already has this event (a repeated scan sends nothing twice). */
export async function insertDelivery(sql: SqlExec, userId: string, delivery: NewDelivery): Promise<boolean> {
  const changed = await sql.run(
    `INSERT INTO webhook_deliveries (id, user_id, endpoint_id, event_id, event_type, body, status, attempts,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
     ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
    [
      delivery.id,
      userId,
      delivery.endpointId,
      delivery.event.id,
      delivery.event.type,
      JSON.stringify(delivery.event),
      delivery.createdAt,
      delivery.createdAt,
    ],
  );
  return changed > 0;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDelivery["status"];
  attempts: number | string;
  last_status: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  created_at: string | Date;
  updated_at: string | Date;
  delivered_at: string | Date | null;
}

const deliveryColumns = `id, endpoint_id, event_id, event_type, status, attempts, last_status, last_error,
  last_duration_ms, created_at, updated_at, delivered_at`;

function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: Number(row.attempts),
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    lastDurationMs: row.last_duration_ms === null ? null : Number(row.last_duration_ms),
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    deliveredAt: isoTimeOrNull(row.delivered_at),
  };
}

/** A delivery with its raw body (what is signed and sent, byte for byte, on every attempt). */
export async function getDelivery(
  sql: SqlExec,
  userId: string,
  id: string,
): Promise<(WebhookDelivery & { body: string }) | null> {
  const [row] = await sql.all<DeliveryRow & { body: string }>(
    `SELECT ${deliveryColumns}, body FROM webhook_deliveries WHERE user_id = ? AND id = ?`,
    [userId, id],
  );
  return row ? { ...toDelivery(row), body: row.body } : null;
}

export async function recordDeliveryAttempt(
  sql: SqlExec,
  userId: string,
  id: string,
  attempt: DeliveryAttempt,
): Promise<void> {
  await sql.run(
    `UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status = ?, last_error = ?,
       last_duration_ms = ?, updated_at = ?, delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
     WHERE user_id = ? AND id = ? AND status <> 'delivered'`,
    [
      attempt.status,
      attempt.httpStatus,
      attempt.error,
      Math.round(attempt.durationMs),
      attempt.at,
      attempt.status,
      attempt.at,
      userId,
      id,
    ],
  );
}

export async function listDeliveries(
  sql: SqlExec,
  userId: string,
  query: { endpointId?: string | undefined; status?: string | undefined; limit: number; offset: number },
): Promise<{ deliveries: WebhookDelivery[]; total: number }> {
  const where =
    "user_id = ? AND (CAST(? AS TEXT) IS NULL OR endpoint_id = ?) AND (CAST(? AS TEXT) IS NULL OR status = ?)";
  const params = [
    userId,
    query.endpointId ?? null,
    query.endpointId ?? null,
    query.status ?? null,
    query.status ?? null,
  ];
  const rows = await sql.all<DeliveryRow>(
    `SELECT ${deliveryColumns} FROM webhook_deliveries WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  const [count] = await sql.all<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM webhook_deliveries WHERE ${where}`,
    params,
  );
  return { deliveries: rows.map(toDelivery), total: Number(count?.n ?? 0) };
}

interface SourceRow {
  id: string;
  user_id: string;
  name: string;
  secret: string;
  created_at: string | Date;
}

function toSource(row: SourceRow): WebhookSourceWithSecret {
  return { id: row.id, userId: row.user_id, name: row.name, secret: row.secret, createdAt: isoTime(row.created_at) };
}

export async function putWebhookSource(sql: SqlExec, source: WebhookSourceWithSecret): Promise<void> {
  await sql.run("INSERT INTO webhook_sources (id, user_id, name, secret, created_at) VALUES (?, ?, ?, ?, ?)", [
    source.id,
    source.userId,
    source.name,
    source.secret,
    source.createdAt,
  ]);
}

/** A source by id, across users: the inbound endpoint has no bearer token, the signature proves the sender. */
export async function findWebhookSource(sql: SqlExec, id: string): Promise<WebhookSourceWithSecret | null> {
  const [row] = await sql.all<SourceRow>(
    "SELECT id, user_id, name, secret, created_at FROM webhook_sources WHERE id = ?",
    [id],
  );
  return row ? toSource(row) : null;
}

export async function listWebhookSources(sql: SqlExec, userId: string): Promise<WebhookSource[]> {
  const rows = await sql.all<Omit<SourceRow, "secret">>(
    "SELECT id, user_id, name, created_at FROM webhook_sources WHERE user_id = ? ORDER BY created_at, id",
    [userId],
  );
  return rows.map((row) => ({ id: row.id, userId: row.user_id, name: row.name, createdAt: isoTime(row.created_at) }));
}

export async function deleteWebhookSource(sql: SqlExec, userId: string, id: string): Promise<boolean> {
  return (await sql.run("DELETE FROM webhook_sources WHERE user_id = ? AND id = ?", [userId, id])) > 0;
}

/** Records a request's signature; false when it was seen already (a replay). Old ones are forgotten first. */
export async function recordIngestSignature(
  sql: SqlExec,
  sourceId: string,
  signature: string,
  at: string,
  forgetBefore: string,
): Promise<boolean> {
  await sql.run("DELETE FROM webhook_replays WHERE seen_at < ?", [forgetBefore]);
  const changed = await sql.run(
    `INSERT INTO webhook_replays (source_id, signature, seen_at) VALUES (?, ?, ?)
     ON CONFLICT (source_id, signature) DO NOTHING`,
    [sourceId, signature, at],
  );
  return changed > 0;
}
