import type { Alert, AuditEvent } from "@cairn/core/store/store-types";
import { isoTime, isoTimeOrNull } from "../row-mappers";
import type { SqlExec } from "./sql-exec";

/** The audit log and destruction alerts (SPEC section 6). */

interface AuditRow {
  id: string;
  at: string | Date;
  device_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: string;
}

export async function recordAudit(sql: SqlExec, userId: string, event: AuditEvent): Promise<void> {
  await sql.run(
    `INSERT INTO audit_log (id, user_id, at, device_id, action, target_type, target_id, details)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      event.id,
      userId,
      event.at,
      event.deviceId,
      event.action,
      event.targetType,
      event.targetId,
      JSON.stringify(event.details),
    ],
  );
}

export async function listAudit(
  sql: SqlExec,
  userId: string,
  query: {
    since?: string | undefined;
    action?: string | undefined;
    target?: { type: string; id: string } | undefined;
    limit: number;
    offset: number;
  },
): Promise<{ events: AuditEvent[]; total: number }> {
  let where = "user_id = ?";
  const params: unknown[] = [userId];
  if (query.since !== undefined) {
    where += " AND at >= ?";
    params.push(query.since);
  }
  if (query.action !== undefined) {
    where += " AND action = ?";
    params.push(query.action);
  }
  if (query.target !== undefined) {
    where += " AND target_id = ? AND target_type = ?";
    params.push(query.target.id, query.target.type);
  }
  const [count] = await sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM audit_log WHERE ${where}`, params);
  const rows = await sql.all<AuditRow>(
    `SELECT id, at, device_id, action, target_type, target_id, details FROM audit_log WHERE ${where}
     ORDER BY at DESC, id DESC LIMIT ? OFFSET ?`,
    [...params, query.limit, query.offset],
  );
  return {
    events: rows.map((row) => ({
      id: row.id,
      at: isoTime(row.at),
      deviceId: row.device_id,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      details: JSON.parse(row.details) as Record<string, unknown>,
    })),
    total: Number(count?.n ?? 0),
  };
}

export async function recentDeletes(
  sql: SqlExec,
  userId: string,
  since: string,
): Promise<{ count: number; ids: string[] }> {
  const [count] = await sql.all<{ n: number | string }>(
    "SELECT COUNT(*) AS n FROM audit_log WHERE user_id = ? AND action = 'delete' AND at >= ?",
    [userId, since],
  );
  const rows = await sql.all<{ target_id: string }>(
    "SELECT target_id FROM audit_log WHERE user_id = ? AND action = 'delete' AND at >= ? ORDER BY at, id LIMIT 100",
    [userId, since],
  );
  return { count: Number(count?.n ?? 0), ids: rows.map((row) => row.target_id) };
}

interface AlertRow {
  id: string;
  kind: string;
  severity: string;
  window_start: string | Date;
  window_end: string | Date;
  delete_count: number | string;
  blocked_count: number | string;
  released_count: number | string;
  deleted_ids: string;
  created_at: string | Date;
  updated_at: string | Date;
  acknowledged_at: string | Date | null;
  acknowledged_by: string | null;
}

const alertColumns =
  "id, kind, severity, window_start, window_end, delete_count, blocked_count, released_count, deleted_ids, created_at, updated_at, acknowledged_at, acknowledged_by";

function toAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    kind: "destruction",
    severity: row.severity === "critical" ? "critical" : "warning",
    windowStart: isoTime(row.window_start),
    windowEnd: isoTime(row.window_end),
    deleteCount: Number(row.delete_count),
    blockedCount: Number(row.blocked_count),
    releasedCount: Number(row.released_count),
    deletedIds: JSON.parse(row.deleted_ids) as string[],
    createdAt: isoTime(row.created_at),
    updatedAt: isoTime(row.updated_at),
    acknowledgedAt: isoTimeOrNull(row.acknowledged_at),
    acknowledgedBy: row.acknowledged_by,
  };
}

export async function listAlerts(
  sql: SqlExec,
  userId: string,
  query: { open?: boolean | undefined; limit: number; offset: number },
): Promise<{ alerts: Alert[]; total: number }> {
  const where = `user_id = ?${query.open ? " AND acknowledged_at IS NULL" : ""}`;
  const [count] = await sql.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM alerts WHERE ${where}`, [userId]);
  const rows = await sql.all<AlertRow>(
    `SELECT ${alertColumns} FROM alerts WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
    [userId, query.limit, query.offset],
  );
  return { alerts: rows.map(toAlert), total: Number(count?.n ?? 0) };
}

export async function putAlert(sql: SqlExec, userId: string, alert: Alert): Promise<void> {
  await sql.run(
    `INSERT INTO alerts (id, user_id, kind, severity, window_start, window_end, delete_count, blocked_count,
                         released_count, deleted_ids, created_at, updated_at, acknowledged_at, acknowledged_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET severity = excluded.severity, window_end = excluded.window_end,
       delete_count = excluded.delete_count, blocked_count = excluded.blocked_count,
       released_count = excluded.released_count, deleted_ids = excluded.deleted_ids, updated_at = excluded.updated_at`,
    [
      alert.id,
      userId,
      alert.kind,
      alert.severity,
      alert.windowStart,
      alert.windowEnd,
      alert.deleteCount,
      alert.blockedCount,
      alert.releasedCount,
      JSON.stringify(alert.deletedIds),
      alert.createdAt,
      alert.updatedAt,
      alert.acknowledgedAt,
      alert.acknowledgedBy,
    ],
  );
}

/** Opens an acknowledged alert again (it turned critical): deletes wait for a new acknowledgement. */
export async function reopenAlert(sql: SqlExec, userId: string, id: string): Promise<boolean> {
  const changed = await sql.run(
    "UPDATE alerts SET acknowledged_at = NULL, acknowledged_by = NULL WHERE user_id = ? AND id = ? AND acknowledged_at IS NOT NULL",
    [userId, id],
  );
  return changed > 0;
}

export async function ackAlert(sql: SqlExec, userId: string, id: string, at: string, by: string): Promise<boolean> {
  const changed = await sql.run(
    "UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE user_id = ? AND id = ? AND acknowledged_at IS NULL",
    [at, by, userId, id],
  );
  return changed > 0;
}
