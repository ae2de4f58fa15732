import type { NewJob } from "../jobs/job-entities";
import type {
  AccountReads,
  AccountWrites,
  ConversationReads,
  ConversationWrites,
  EmbeddingReads,
  EmbeddingWrites,
  EntryReads,
  EntryWrites,
  FeedReads,
  FeedWrites,
  JobReads,
  JobWrites,
  MemoryReads,
  MemoryWrites,
  OwnAccountReads,
  OwnAccountWrites,
  SafetyReads,
  SafetyWrites,
  SessionReads,
  SessionWrites,
  SweepReads,
  SweepWrites,
  TaskReads,
  TaskWrites,
  ThreadReads,
  ThreadWrites,
  TrashReads,
  TrashWrites,
  WebhookReads,
  WebhookWrites,
} from "./store-roles";
import type { VectorBackend } from "./store-types";

/**
 * The storage port. Consumers reach a user's rows only through a handle bound to that user
 * (`store.forUser(userId)`: every read, and a transaction whose every write, is that user's),
 * and work across users through `store.system` (jobs, sweeps, accounts). The SQLite and
 * PostgreSQL adapters implement the methods with the user id as their first argument
 * (`StoreMethods`) and pass one contract suite (packages/store/src/contract/); `storeHandles`
 * binds them.
 */

/** Every read of one user's rows. */
export interface UserReads
  extends ThreadReads,
    EntryReads,
    MemoryReads,
    TaskReads,
    ConversationReads,
    SessionReads,
    TrashReads,
    SafetyReads,
    FeedReads,
    EmbeddingReads,
    WebhookReads,
    OwnAccountReads {}

/** Every write of one user's rows. */
export interface UserWrites
  extends ThreadWrites,
    EntryWrites,
    MemoryWrites,
    TaskWrites,
    ConversationWrites,
    SessionWrites,
    TrashWrites,
    SafetyWrites,
    FeedWrites,
    EmbeddingWrites,
    WebhookWrites,
    OwnAccountWrites {}

export interface SystemReads extends AccountReads, JobReads, SweepReads {}
export interface SystemWrites extends AccountWrites, JobWrites, SweepWrites {}

/** One user's rows, read outside a transaction; writes go through `transaction`. */
export interface UserStore extends UserReads {
  readonly userId: string;
  /** Runs `work` in one transaction: all of it commits or none of it does. */
  transaction<T>(work: (tx: UserTx) => Promise<T>): Promise<T>;
  /** See Store.isDataError. */
  isDataError(error: unknown): boolean;
}

/** One user's rows inside a transaction. */
export interface UserTx extends UserReads, UserWrites {
  readonly userId: string;
  /** The same transaction across users (a job, a replay record): for what belongs to no one user. */
  readonly system: SystemTx;
  /** Queues a job of this user (see JobWrites.enqueueJob). */
  enqueueJob(job: Omit<NewJob, "userId">): Promise<boolean>;
  /**
   * Runs `work` so that when it throws, only its own writes are undone and the transaction
   * can go on (a savepoint). Everything `work` wrote has reached the database when it
   * returns (PostgreSQL's buffered entries included), so a value the database refuses
   * fails here, inside, and not later at commit.
   */
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

/** Work across users. */
export interface SystemStore extends SystemReads {
  transaction<T>(work: (tx: SystemTx) => Promise<T>): Promise<T>;
}

export interface SystemTx extends SystemReads, SystemWrites {
  /** One user's rows in this transaction. */
  forUser(userId: string): UserTx;
}

export interface Store {
  readonly kind: "sqlite" | "postgres";
  readonly vectorBackend: VectorBackend;
  /** The rows of one user, and nothing else. */
  forUser(userId: string): UserStore;
  /** Work across users: accounts, jobs, sweeps. */
  readonly system: SystemStore;
  /**
   * Whether `error` is the database refusing a value (PostgreSQL's data exceptions and
   * integrity violations, SQLite's constraint and size errors): the same write fails the
   * same way every time. Anything else (a lost connection, a full disk) may pass.
   */
  isDataError(error: unknown): boolean;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// What the adapters implement, and the binding of it into the handles above.

/** A user-bound method as an adapter implements it: the user id first. */
type WithUser<Role> = {
  [Name in keyof Role]: Role[Name] extends (...args: infer Args) => infer Result
    ? (userId: string, ...args: Args) => Result
    : never;
};

/** Every method of an adapter (reads and writes are one connection's, in or out of a transaction). */
export type StoreMethods = WithUser<UserReads & UserWrites> & SystemReads & SystemWrites;

/** An adapter's transaction: its methods on the transaction's connection. */
export interface AdapterTx extends StoreMethods {
  savepoint<T>(work: () => Promise<T>): Promise<T>;
}

/** What an adapter gives `storeHandles`: its methods outside a transaction, and its transaction. */
export interface StoreAdapter {
  methods: StoreMethods;
  transaction<T>(work: (tx: AdapterTx) => Promise<T>): Promise<T>;
  isDataError(error: unknown): boolean;
}

/** The methods of each role, by name: the binding below and the contract suite's coverage check read them. */
export const userReadMethods = [
  // threads
  "listThreads",
  "findThreads",
  "listProjects",
  // entries
  "listEntries",
  "threadStats",
  "searchEntries",
  "getEntry",
  "sessionEntries",
  "entryNeighbours",
  "entryPosition",
  "entriesByIdPrefix",
  "presentTerms",
  // memories, tasks
  "getMemory",
  "listMemories",
  "searchMemories",
  "getTask",
  "listTasks",
  "searchTasks",
  // conversations
  "getConversation",
  "findConversationByOrigin",
  "listConversations",
  "findMessageByClientId",
  "recentMessages",
  "messagesAfter",
  "listMessages",
  "getToolInvocation",
  "getConfirmation",
  // sessions, trash, safety
  "getSession",
  "listSessions",
  "listTrash",
  "listAudit",
  "recentDeletes",
  "listAlerts",
  // feeds
  "getDeviceSeq",
  "findRejections",
  "changesSince",
  "changeHorizon",
  "digest",
  "countRows",
  "feedCursor",
  "listDevices",
  // embeddings, webhooks, own account
  "countEmbeddings",
  "nearestRows",
  "listWebhookEndpoints",
  "getWebhookEndpoint",
  "getDelivery",
  "listDeliveries",
  "listWebhookSources",
  "getUser",
  "listTokens",
] as const satisfies readonly (keyof UserReads)[];

export const userWriteMethods = [
  "ensureProject",
  "ensureThread",
  "deleteThread",
  "putThread",
  "restoreThread",
  "insertEntry",
  "putEntry",
  "setEntryDeleted",
  "putMemory",
  "putTask",
  "createConversation",
  "deleteConversation",
  "appendMessages",
  "setMessageStatus",
  "putToolInvocation",
  "putConfirmation",
  "useConfirmation",
  "putSession",
  "touchSession",
  "purgeTrashItem",
  "recordAudit",
  "putAlert",
  "ackAlert",
  "reopenAlert",
  "nextSeq",
  "setDeviceSeq",
  "recordRejection",
  "setFeedCursor",
  "putEmbeddings",
  "deleteEmbeddings",
  "putWebhookEndpoint",
  "deleteWebhookEndpoint",
  "insertDelivery",
  "recordDeliveryAttempt",
  "deleteWebhookSource",
  "revokeToken",
] as const satisfies readonly (keyof UserWrites)[];

export const systemReadMethods = [
  "findUserByName",
  "countUsers",
  "listUsers",
  "findTokenByHash",
  "getJob",
  "listJobs",
  "countJobs",
  "findIdleSessions",
  "usersBehindFeed",
  "conversationExists",
  "findWebhookSource",
] as const satisfies readonly (keyof SystemReads)[];

export const systemWriteMethods = [
  "createUser",
  "createToken",
  "touchToken",
  "enqueueJob",
  "claimJobs",
  "finishJob",
  "extendJobLease",
  "purgeDoneJobs",
  "retryDeadJob",
  "purgeTrashBefore",
  "putWebhookSource",
  "recordIngestSignature",
] as const satisfies readonly (keyof SystemWrites)[];

// Every method of a role is named above (a compile-time check: each `Missing` must be `never`).
type MissingUserReads = Exclude<keyof UserReads, (typeof userReadMethods)[number]>;
type MissingUserWrites = Exclude<keyof UserWrites, (typeof userWriteMethods)[number]>;
type MissingSystem = Exclude<
  keyof (SystemReads & SystemWrites),
  (typeof systemReadMethods)[number] | (typeof systemWriteMethods)[number]
>;
const everyMethodNamed: [MissingUserReads, MissingUserWrites, MissingSystem] extends [never, never, never]
  ? true
  : false = true;
void everyMethodNamed;

type AnyMethod = (...args: unknown[]) => unknown;

function pick(methods: StoreMethods, names: readonly string[], userId?: string): Record<string, AnyMethod> {
  const table = methods as unknown as Record<string, AnyMethod>;
  const picked: Record<string, AnyMethod> = {};
  for (const name of names) {
    const method = table[name];
    if (typeof method !== "function") throw new Error(`The store adapter has no method ${name}`);
    picked[name] = userId === undefined ? method.bind(methods) : (...args) => method.call(methods, userId, ...args);
  }
  return picked;
}

function systemTx(tx: AdapterTx): SystemTx {
  return {
    ...pick(tx, systemReadMethods),
    ...pick(tx, systemWriteMethods),
    forUser: (userId: string) => userTx(tx, userId),
  } as unknown as SystemTx;
}

function userTx(tx: AdapterTx, userId: string): UserTx {
  return {
    ...pick(tx, userReadMethods, userId),
    ...pick(tx, userWriteMethods, userId),
    userId,
    get system() {
      return systemTx(tx);
    },
    enqueueJob: (job: Omit<NewJob, "userId">) => tx.enqueueJob({ ...job, userId }),
    savepoint: (work: () => Promise<unknown>) => tx.savepoint(work),
  } as unknown as UserTx;
}

/** The handles of the port over an adapter's methods: `forUser` and `system`. */
export function storeHandles(adapter: StoreAdapter): Pick<Store, "forUser" | "system"> {
  return {
    forUser(userId: string) {
      return {
        ...pick(adapter.methods, userReadMethods, userId),
        userId,
        transaction: (work: (tx: UserTx) => Promise<unknown>) => adapter.transaction((tx) => work(userTx(tx, userId))),
        isDataError: (error: unknown) => adapter.isDataError(error),
      } as unknown as UserStore;
    },
    system: {
      ...pick(adapter.methods, systemReadMethods),
      transaction: (work: (tx: SystemTx) => Promise<unknown>) => adapter.transaction((tx) => work(systemTx(tx))),
    } as unknown as SystemStore,
  };
}
