import type { ApiToken, Entry, SearchHit, Thread, User } from "./entities";

/**
 * The storage port. Operations depend on this interface only; the SQLite and
 * PostgreSQL adapters implement it and pass one contract suite
 * (packages/store/src/contract/store-contract.ts).
 *
 * Every method takes the user id first and filters by it: no query in Cairn
 * reads or writes another user's rows.
 */

export interface ThreadSummary extends Thread {
  entryCount: number;
  lastEntryAt: string | null;
}

export interface ThreadListQuery {
  projectId?: string | undefined;
  limit: number;
  offset: number;
}

export interface EntryListQuery {
  projectId: string;
  threadId: string;
  limit: number;
  offset: number;
}

export interface EntrySearchQuery {
  /** Plain words, already sanitised by `searchTerms`; never raw user text. */
  terms: string[];
  projectId?: string | undefined;
  limit: number;
  offset: number;
}

export interface ThreadStats {
  entryCount: number;
  lastEntry: { id: string; createdAt: string } | null;
}

/** One row of the change log as pull returns it, in server order. */
export type Change = { seq: number; type: "thread"; thread: Thread } | { seq: number; type: "entry"; entry: Entry };

export interface NewToken {
  id: string;
  userId: string;
  name: string;
  hash: string;
  createdAt: string;
  expiresAt: string | null;
}

export type EnsureThreadOutcome = "created" | "exists" | "restored";

export interface StoreReader {
  getUser(userId: string): Promise<User | null>;
  findUserByName(name: string): Promise<User | null>;
  countUsers(): Promise<number>;
  findTokenByHash(hash: string): Promise<{ token: ApiToken; user: User } | null>;
  listTokens(userId: string): Promise<ApiToken[]>;
  listThreads(userId: string, query: ThreadListQuery): Promise<{ threads: ThreadSummary[]; total: number }>;
  /** Threads with this id; in one project when `projectId` is given, else in any. Deleted ones excluded. */
  findThreads(userId: string, threadId: string, projectId?: string): Promise<Thread[]>;
  listEntries(userId: string, query: EntryListQuery): Promise<{ entries: Entry[]; total: number }>;
  threadStats(userId: string, projectId: string, threadId: string): Promise<ThreadStats>;
  searchEntries(userId: string, query: EntrySearchQuery): Promise<SearchHit[]>;
  getDeviceSeq(userId: string, deviceId: string): Promise<number>;
  /** The reasons of those of `seqs` this device had rejected (a replay answers them the same way). */
  findRejections(userId: string, deviceId: string, seqs: number[]): Promise<{ seq: number; reason: string }[]>;
  /**
   * Changes with cursor < seq <= `upTo` (no bound when absent), oldest first,
   * at most `limit`; without the entries last written by `excludeDevice`.
   */
  changesSince(
    userId: string,
    cursor: number,
    limit: number,
    options?: { excludeDevice?: string | undefined; upTo?: number | undefined },
  ): Promise<Change[]>;
  /** The user's last committed change seq (every change so far has seq <= it). */
  changeHorizon(userId: string): Promise<number>;
}

export interface StoreWriter extends StoreReader {
  createUser(user: User): Promise<void>;
  createToken(token: NewToken): Promise<void>;
  touchToken(tokenId: string, at: string): Promise<void>;
  revokeToken(userId: string, tokenId: string, at: string): Promise<boolean>;
  ensureProject(userId: string, project: { id: string; name: string; createdAt: string }): Promise<void>;
  /** Creates the thread, or restores it when deleted; `seq` is used only when something changed. */
  ensureThread(userId: string, thread: Thread, seq: () => Promise<number>): Promise<EnsureThreadOutcome>;
  /**
   * Inserts unless (user, id) exists. `changedBy` is the device whose
   * mutation wrote it (a pull by that device leaves it out). An adapter may defer the write to its
   * next statement in the transaction (PostgreSQL batches them); reads in the
   * same transaction still see it.
   */
  insertEntry(userId: string, entry: Entry, seq: number, changedBy?: string | null): Promise<void>;
  /** Soft-deletes a thread; false when there was none. */
  deleteThread(userId: string, key: { projectId: string; threadId: string; at: string; seq: number }): Promise<boolean>;
  /** Replaces a thread with the server's version (client mirror only). */
  putThread(userId: string, thread: Thread, seq: number): Promise<void>;
  /** The next change sequence number of this user; allocated inside the transaction. */
  nextSeq(userId: string): Promise<number>;
  setDeviceSeq(userId: string, deviceId: string, seq: number, at: string): Promise<void>;
  recordRejection(
    userId: string,
    deviceId: string,
    rejection: { seq: number; reason: string; at: string },
  ): Promise<void>;
}

export interface Store extends StoreReader {
  readonly kind: "sqlite" | "postgres";
  /** Runs `work` in one transaction: all of it commits or none of it does. */
  transaction<T>(work: (tx: StoreWriter) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
