import { existsSync } from "node:fs";
import type { CliContext } from "../cli-context";
import { type Credentials, scopeKey } from "../credentials";
import { ownerRecordPath } from "./daemon-paths";
import { type OwnerRecord, orphanReason, readOwnerRecord } from "./owner-record";

/** The owner record of `scope` as found: the record, why it is orphaned (null: it runs), or why it is damaged. */
export async function scopeDaemon(
  context: CliContext,
  scope: string,
): Promise<{ record: OwnerRecord | null; orphan: string | null; damaged: string | null }> {
  const read = readOwnerRecord(ownerRecordPath(context.paths, scope));
  if (read === null) return { record: null, orphan: null, damaged: null };
  if (!("record" in read)) return { record: null, orphan: null, damaged: read.damaged };
  const { processAlive } = await import("@cairn/sync/drain-lock");
  return { record: read.record, orphan: orphanReason(read.record, processAlive), damaged: null };
}

/** The running daemon of `scope` (null: none, or its record is orphaned or damaged). */
export async function liveDaemon(context: CliContext, scope: string): Promise<OwnerRecord | null> {
  if (!existsSync(ownerRecordPath(context.paths, scope))) return null;
  const found = await scopeDaemon(context, scope);
  return found.orphan === null ? found.record : null;
}

/** One request to a daemon's control port, authenticated with its wake token. */
export async function callDaemon(
  record: OwnerRecord,
  method: "GET" | "POST",
  path: string,
  timeoutMs: number,
): Promise<{ status: number; body: unknown } | null> {
  const { nodeHttpTransport } = await import("@cairn/sync/http-transport");
  try {
    const response = await nodeHttpTransport({
      method,
      url: new URL(path, `http://127.0.0.1:${record.port}`),
      headers: { authorization: `Bearer ${record.wakeToken}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    let body: unknown = null;
    try {
      body = JSON.parse(response.body);
    } catch {
      body = null;
    }
    return { status: response.status, body };
  } catch {
    return null;
  }
}

/**
 * Wakes the scope's daemon after a write and waits (up to `waitMs`) for the
 * pass that carries it. False when no daemon of this scope answers: the
 * caller pushes inline instead.
 */
export async function wakeDaemon(context: CliContext, credentials: Credentials, waitMs: number): Promise<boolean> {
  const scope = scopeKey(credentials);
  const record = await liveDaemon(context, scope);
  if (!record) return false;
  const answer = await callDaemon(record, "POST", `/wake?waitMs=${Math.max(0, waitMs - 100)}`, waitMs);
  return answer?.status === 200;
}
