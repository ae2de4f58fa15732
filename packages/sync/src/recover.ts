import type { Change, Digest } from "@cairn/core/store/store-types";
import type { PullResponse } from "@cairn/core/wire/pull";
import { computeDigest } from "@cairn/store/shared/digest";
import type { LocalStore } from "./local-store";
import type { SyncClient } from "./sync-client";
import { changeAttribution, changeKey, writeChanges } from "./write-changes";

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
  const { api } = await import("@cairn/core/wire/api");
  const bootstrap = await client.call(api.recoveryBootstrap, {
    body: {
      ...(filter.project ? { project: filter.project } : {}),
      ...(filter.since ? { since: filter.since } : {}),
      deviceId: local.deviceId,
      dryRun: options.dryRun,
    },
  });
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

  const restored: Record<string, number> = { thread: 0, entry: 0, memory: 0, session: 0, task: 0 };
  // One checkpoint at the end instead of one every 4 MB of WAL while the rows pour in.
  const db = local.store.db;
  const autocheckpoint = db.pragma("wal_autocheckpoint", { simple: true }) as number;
  db.pragma("wal_autocheckpoint = 0");
  let kept = 0;
  let seen = 0;
  const serverVersions: Change[] = [];
  const pageSize = options.pageSize ?? 1000;
  const filtered = filter.project !== undefined || filter.since !== undefined;
  // Rows with a queued local change are newer than the server's and are kept; a store with an
  // empty outbox holds only what the server sent it, so its rows need no such checks.
  const counts = local.outbox.counts();
  const protectLocal = counts.pending + counts.dead > 0;
  // Pages are fetched ahead while earlier ones are written, so the server and the store work at
  // the same time. A page is the window of seqs (cursor, cursor + pageSize], so the next cursors are
  // known in advance; a page cut short by the size cap says where to go on, and the plan restarts there.
  const fetchAhead = 3;
  let planned: { end: number; page: Promise<PullResponse> }[] = [];
  let nextCursor = 0;
  const plan = () => {
    while (planned.length < fetchAhead) {
      const cursor = nextCursor;
      nextCursor += pageSize;
      const page = client.pull(cursor, pageSize);
      page.catch(() => {}); // a failure surfaces where the page is awaited, not as an unhandled rejection
      planned.push({ end: cursor + pageSize, page });
    }
  };
  plan();
  for (;;) {
    const next = planned.shift() as { end: number; page: Promise<PullResponse> };
    const page = await next.page;
    if (page.hasMore && page.cursor !== next.end) {
      planned = [];
      nextCursor = page.cursor;
    }
    plan();
    const wanted = page.changes.filter((change) => matches(change, filter));
    const outcome = await applyRecoveryPage(local, wanted, page, { setCursor: !filtered, protectLocal });
    for (const [type, count] of Object.entries(outcome.restored)) restored[type] = (restored[type] ?? 0) + count;
    kept += outcome.kept;
    serverVersions.push(...outcome.keptServerRows);
    seen += wanted.length;
    options.onProgress?.(seen, bootstrap.total);
    if (!page.hasMore) break;
  }
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.pragma(`wal_autocheckpoint = ${Number(autocheckpoint) || 1000}`);

  // The server hashes its rows while this process hashes the store's.
  const serverDigest = client.call(api.digest, {
    query: { ...(filter.project ? { project: filter.project } : {}), ...(filter.since ? { since: filter.since } : {}) },
  });
  serverDigest.catch(() => {});
  const pending = local.outbox.entityIds();
  // Rows kept for a queued local change count with the server's version, as the server counts them.
  const localDigest = await computeDigest(
    local.store.sql,
    local.userId,
    { projectId: filter.project, since: filter.since },
    (_type, id) => pending.has(id),
    serverVersions,
  );
  const server = (await serverDigest).digest;
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

function matches(change: Change, filter: { project?: string | undefined; since?: string | undefined }): boolean {
  const row = changeAttribution(change);
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
  options: { setCursor: boolean; protectLocal: boolean },
): Promise<{ restored: Record<string, number>; kept: number; keptServerRows: Change[] }> {
  // A store with nothing queued (a wiped machine) has nothing newer to protect: skip the lookups.
  const keep = options.protectLocal ? local.outbox.unsynced(changes.map(changeKey)) : new Set<string>();
  return local.user.transaction(async (tx) => {
    const outcome = await writeChanges(local, tx, changes, { keep, compareMemories: options.protectLocal });
    if (options.setCursor && page.cursor > local.state.number("cursor")) local.state.set("cursor", String(page.cursor));
    return {
      restored: outcome.written,
      kept: outcome.keptQueued.length + outcome.keptNewer,
      keptServerRows: outcome.keptQueued,
    };
  });
}
