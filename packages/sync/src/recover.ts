import { laterVersion } from "@cairn/core/hlc";
import { threadKey } from "@cairn/core/mutations/thread-key";
import type { Change, Digest } from "@cairn/core/store-port";
import type { PullResponse } from "@cairn/core/wire/pull";
import { computeDigest } from "@cairn/store/shared/digest";
import type { LocalStore } from "./local-store";
import type { SyncClient } from "./sync-client";

export interface RecoverOptions {
  local: LocalStore;
  client: SyncClient;
  /** Restore only this project / rows since this ISO time (the digest is compared over the same rows). */
  projectId?: string | undefined;
  since?: string | undefined;
  dryRun: boolean;
  /** Called after each applied page: rows seen so far and the total the server announced. */
  onProgress?: ((done: number, total: number) => void) | undefined;
  pageSize?: number;
}

export interface RecoverResult {
  dryRun: boolean;
  /** Per type: rows restored (written into the store), or that a restore would bring back (dry run). */
  restored: Record<string, number>;
  /** Rows the store already had, or with a local change not yet pushed (left as they are). */
  kept: number;
  verified: boolean;
  digest: { server: Digest; local: Digest } | null;
  durationMs: number;
}

/**
 * `cairn recover` (SPEC section 6): rebuilds a scope's store from the
 * server. Pulls from cursor 0 without a device (so the server sends what
 * this device wrote too), writes each row unless the store holds a newer
 * or unsent version of it, then checks counts and hashes per type against
 * GET /api/sync/digest over the same rows. Pulled rows never enter the
 * outbox, so nothing is pushed back.
 */
export async function recover(options: RecoverOptions): Promise<RecoverResult> {
  const started = Date.now();
  const { local, client } = options;
  const filter = { project: options.projectId, since: options.since };
  const bootstrap = (await client.post("/api/recovery/bootstrap", {
    ...(filter.project ? { project: filter.project } : {}),
    ...(filter.since ? { since: filter.since } : {}),
    deviceId: local.deviceId,
  })) as { counts: Record<string, number>; total: number };
  if (options.dryRun) {
    return {
      dryRun: true,
      restored: bootstrap.counts,
      kept: 0,
      verified: false,
      digest: null,
      durationMs: Date.now() - started,
    };
  }

  const restored: Record<string, number> = { thread: 0, entry: 0, memory: 0, session: 0 };
  let kept = 0;
  let seen = 0;
  let cursor = 0;
  const filtered = filter.project !== undefined || filter.since !== undefined;
  for (;;) {
    const page = await client.pull(cursor, options.pageSize ?? 1000);
    const wanted = page.changes.filter((change) => matches(change, filter));
    const outcome = await applyRecoveryPage(local, wanted, page, { setCursor: !filtered });
    for (const [type, count] of Object.entries(outcome.restored)) restored[type] = (restored[type] ?? 0) + count;
    kept += outcome.kept;
    seen += wanted.length;
    options.onProgress?.(seen, bootstrap.total);
    if (!page.hasMore) break;
    cursor = page.cursor;
  }

  const query = new URLSearchParams({
    ...(filter.project ? { project: filter.project } : {}),
    ...(filter.since ? { since: filter.since } : {}),
  });
  const server = ((await client.get(`/api/sync/digest?${query}`)) as { digest: Digest }).digest;
  const pending = pendingIds(local);
  const localDigest = await computeDigest(
    local.store.sql,
    local.userId,
    { projectId: filter.project, since: filter.since },
    (_type, id) => pending.has(id),
  );
  const verified = Object.keys(server).every(
    (type) => server[type]?.count === localDigest[type]?.count && server[type]?.hash === localDigest[type]?.hash,
  );
  return {
    dryRun: false,
    restored,
    kept,
    verified,
    digest: { server, local: localDigest },
    durationMs: Date.now() - started,
  };
}

/** Entity ids with a queued local change: recovery leaves those rows alone, and the digest too. */
function pendingIds(local: LocalStore): Set<string> {
  const rows = local.store.db.prepare("SELECT DISTINCT entity_id FROM outbox").all() as { entity_id: string }[];
  return new Set(rows.map((row) => row.entity_id));
}

function matches(change: Change, filter: { project?: string | undefined; since?: string | undefined }): boolean {
  const row =
    change.type === "thread"
      ? { project: change.thread.projectId, time: change.thread.updatedAt }
      : change.type === "entry"
        ? { project: change.entry.projectId, time: change.entry.createdAt }
        : change.type === "memory"
          ? { project: change.memory.projectId, time: change.memory.updatedAt }
          : { project: change.session.projectId, time: change.session.startedAt };
  if (filter.project !== undefined && row.project !== filter.project) return false;
  if (filter.since !== undefined && row.time < filter.since) return false;
  return true;
}

/**
 * One page into the store, in one transaction. A row with a queued local
 * change is kept as it is (it is newer: the push will carry it), and so is
 * a memory whose local version is not lower.
 */
async function applyRecoveryPage(
  local: LocalStore,
  changes: Change[],
  page: PullResponse,
  options: { setCursor: boolean },
): Promise<{ restored: Record<string, number>; kept: number }> {
  const pending = local.outbox.unsynced(
    changes.map((change) =>
      change.type === "thread"
        ? threadKey(change.thread.projectId, change.thread.id)
        : change.type === "entry"
          ? change.entry.id
          : change.type === "memory"
            ? change.memory.id
            : change.session.id,
    ),
  );
  return local.store.transaction(async (tx) => {
    const restored: Record<string, number> = {};
    let kept = 0;
    let clock = local.state.get("clock");
    for (const change of changes) {
      const id =
        change.type === "thread"
          ? threadKey(change.thread.projectId, change.thread.id)
          : change.type === "entry"
            ? change.entry.id
            : change.type === "memory"
              ? change.memory.id
              : change.session.id;
      if (pending.has(id)) {
        kept += 1;
        continue;
      }
      if (change.type === "thread") await tx.putThread(local.userId, change.thread, change.seq);
      else if (change.type === "entry") await tx.putEntry(local.userId, change.entry, change.seq);
      else if (change.type === "session") await tx.putSession(local.userId, change.session, change.seq);
      else {
        clock = laterVersion(clock, change.memory.version);
        const mine = await tx.getMemory(local.userId, change.memory.id);
        if (mine && mine.version >= change.memory.version) {
          kept += 1;
          continue;
        }
        await tx.putMemory(local.userId, change.memory, change.seq);
      }
      restored[change.type] = (restored[change.type] ?? 0) + 1;
    }
    if (clock !== null) local.state.set("clock", clock);
    if (options.setCursor && page.cursor > local.state.number("cursor")) local.state.set("cursor", String(page.cursor));
    return { restored, kept };
  });
}
