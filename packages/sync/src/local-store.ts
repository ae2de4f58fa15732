import { dirname } from "node:path";
import { AppError } from "@cairn/core/app-error";
import { nextVersion } from "@cairn/core/hlc";
import { mutationContext } from "@cairn/core/mutations/mutation";
import type { MutationSink } from "@cairn/core/mutations/mutation-sink";
import { applyMutation } from "@cairn/core/mutations/registry";
import type { UserStore } from "@cairn/core/store/store-port";
import { privateDirectory } from "@cairn/store/private-files";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import { clientMigrations } from "./client-migrations";
import { Outbox } from "./outbox";
import { SyncState } from "./sync-state";

/**
 * One identity scope's local store: the server schema (so the same operations
 * read it), the outbox and the sync state, in one SQLite file.
 */
export class LocalStore {
  readonly store: SqliteStore;
  /** The rows of this store's user: every use case reads and writes through it. */
  readonly user: UserStore;
  readonly outbox: Outbox;
  readonly state: SyncState;

  private constructor(
    store: SqliteStore,
    readonly userId: string,
  ) {
    this.store = store;
    this.user = store.forUser(userId);
    this.outbox = new Outbox(store.db);
    this.state = new SyncState(store.db);
  }

  /**
   * Opens (creating when missing) the store of `userId` on `server` at `path`
   * (`server` null: the `local` scope). A new store records that identity;
   * preflight refuses to push when it differs from the login.
   */
  static open(options: {
    path: string;
    userId: string;
    server: string | null;
    newDeviceId: () => string;
    nativeBinding?: string | undefined;
  }): LocalStore {
    privateDirectory(dirname(options.path));
    const store = new SqliteStore({
      path: options.path,
      extraMigrations: clientMigrations,
      nativeBinding: options.nativeBinding,
    });
    const local = new LocalStore(store, options.userId);
    // The mirror keeps the server's shape: rows belong to a user row.
    store
      .prepare("INSERT OR IGNORE INTO users (id, name, created_at) VALUES (?, ?, ?)")
      .run(options.userId, options.userId, new Date().toISOString());
    if (local.state.get("deviceId") === null) local.state.set("deviceId", options.newDeviceId());
    if (local.state.get("userId") === null) {
      local.state.set("userId", options.userId);
      local.state.set("server", options.server ?? "");
    }
    return local;
  }

  /** The next clock version of this device (memories); every version seen by a pull moves it forward too. */
  nextVersion(now: Date): string {
    const version = nextVersion(this.state.get("clock"), now.getTime(), this.deviceId);
    this.state.set("clock", version);
    return version;
  }

  /** The session id writes in `projectId` are tagged with (null: none yet). */
  currentSessionId(projectId: string): string | null {
    const row = this.store.db.prepare("SELECT session_id FROM current_sessions WHERE project_id = ?").get(projectId) as
      | { session_id: string }
      | undefined;
    return row?.session_id ?? null;
  }

  setCurrentSession(projectId: string, sessionId: string | null): void {
    if (sessionId === null) {
      this.store.db.prepare("DELETE FROM current_sessions WHERE project_id = ?").run(projectId);
      return;
    }
    this.store.db
      .prepare(
        "INSERT INTO current_sessions (project_id, session_id) VALUES (?, ?) ON CONFLICT (project_id) DO UPDATE SET session_id = excluded.session_id",
      )
      .run(projectId, sessionId);
  }

  /** The identity recorded when the store was created. */
  get identity(): { server: string | null; userId: string } {
    return { server: this.state.get("server") || null, userId: this.state.get("userId") ?? this.userId };
  }

  get deviceId(): string {
    return this.state.get("deviceId") ?? "";
  }

  get path(): string {
    return this.store.path;
  }

  /**
   * The CLI's sink: each mutation is applied to the local store and queued in
   * the outbox in the same transaction (the transactional outbox). A write
   * that would take the queue past `queueCap` rows fails whole; nothing
   * already queued is dropped. A null cap: no cap (a store with no server to
   * send to, where working offline is the whole point).
   */
  sink(options: { now: () => Date; queueCap: number | null; crashPoint?: (point: string) => void }): MutationSink {
    const { now, queueCap } = options;
    return {
      commit: async (mutations) => {
        await this.user.transaction(async (tx) => {
          const queued = queueCap === null ? 0 : this.outbox.queuedCount();
          if (queueCap !== null && queued + mutations.length > queueCap) {
            throw new AppError("queue_full", `The outbox holds ${queued} unsent rows, its cap is ${queueCap}`, {
              hint: "Nothing queued was dropped. Bring the server back (`cairn sync status`), then `cairn sync now`.",
            });
          }
          const context = mutationContext(tx);
          for (const mutation of mutations) {
            const { entityId } = await applyMutation(context, mutation.op, mutation.args);
            this.outbox.enqueue({
              op: mutation.op,
              args: mutation.args,
              entityId,
              clientTime: now().toISOString(),
            });
          }
          options.crashPoint?.("client.write.applied");
        });
        options.crashPoint?.("client.write.committed");
      },
    };
  }

  /**
   * This store found another copy of itself (a copied or restored CAIRN_HOME) pushing
   * under its device id: it becomes a new device. Everything still in its outbox is sent
   * again under the new id from seq 1 (every mutation is keyed by its rows' ids, so what the
   * server already has changes nothing), and the next pull starts over from the beginning,
   * since pulls under the shared id left out what the other copy pushed.
   */
  becomeNewDevice(newDeviceId: string, at: Date): { previous: string; resent: number } {
    const previous = this.deviceId;
    let resent = 0;
    this.store.db.transaction(() => {
      resent = this.outbox.renumber();
      this.state.set("deviceId", newDeviceId);
      this.state.set("forkedFrom", previous);
      this.state.set("forkedAt", at.toISOString());
      this.state.set("sentThrough", "0");
      this.state.set("cursor", "0");
    })();
    return { previous, resent };
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
