import type { Credentials } from "./credentials";
import type { ReadRecord } from "./daemon/owner-record";

/** One thing preflight found, with a stable code and the fix. */
export interface Problem {
  code: string;
  message: string;
  fix: string;
  field?: string;
  expected?: string;
  actual?: string;
  /**
   * `identity`: pushing would send rows as the wrong account (refused, exit 2);
   * `login`: the server will refuse the token (exit 4). Others only inform.
   */
  stops?: "identity" | "login";
}

/** Everything preflight looks at, loaded read-only by `loadPreflight` (preflight-load.ts). */
export interface PreflightState {
  now: Date;
  version: string;
  credentials: Credentials | null;
  scope: string;
  storePath: string;
  /** The identity the scope's store recorded when it was created. */
  storeIdentity: { server: string | null; userId: string };
  queue: { pending: number; dead: number };
  paused: boolean;
  unauthorizedAt: string | null;
  daemons: { scope: string; path: string; read: ReadRecord; orphan: string | null }[];
  /** Rows written before login, still in the `local` scope. */
  localScopePending: number;
  /** Other accounts' stores that still hold unsent rows (kept across logins). */
  otherScopes: { scope: string; pending: number }[];
  /** Open destruction alerts, as the server reported them on the last push or pull. */
  openAlerts: { id: string; severity: string; deleteCount: number; createdAt: string }[];
  /**
   * This store found another copy of itself pushing under its device id and became a new
   * device (`settled`: a whole sync has run since, its rows re-sent and the account pulled).
   */
  fork: { from: string; device: string; at: string; settled: boolean } | null;
}

/**
 * The preflight check (SPEC section 3), pure: compares the identity of the
 * login, the scope's store and the daemon's owner record, and reports what
 * needs attention. It decides; it never acts (nothing is killed or removed).
 */
export function preflightProblems(state: PreflightState): Problem[] {
  return [
    ...identityProblems(state.credentials, state.storeIdentity, state.storePath),
    ...loginProblems(state),
    ...queueProblems(state),
    ...daemonProblems(state),
  ];
}

/** Would a push send this store's rows as another account than the one that wrote them? */
export function identityProblems(
  credentials: Credentials | null,
  store: { server: string | null; userId: string },
  storePath: string,
): Problem[] {
  if (!credentials) return [];
  const problems: Problem[] = [];
  const fix = `Log in again as the store's own account, or move ${storePath} aside`;
  if (store.userId !== credentials.user.id) {
    problems.push({
      code: "store_identity_mismatch",
      message: `The store ${storePath} holds rows of user ${store.userId}, the login is user ${credentials.user.id}`,
      fix,
      field: "user",
      expected: credentials.user.id,
      actual: store.userId,
      stops: "identity",
    });
  }
  if (store.server !== null && trimSlash(store.server) !== trimSlash(credentials.server)) {
    problems.push({
      code: "store_identity_mismatch",
      message: `The store ${storePath} belongs to ${store.server}, the login is on ${credentials.server}`,
      fix,
      field: "server",
      expected: credentials.server,
      actual: store.server,
      stops: "identity",
    });
  }
  return problems;
}

/** Whether the server refused this login (a 401 recorded at or after it was saved): drainers wait for a new one. */
export function refusedSinceLogin(unauthorizedAt: string | null, credentials: Credentials): boolean {
  return unauthorizedAt !== null && Date.parse(unauthorizedAt) >= Date.parse(credentials.loggedInAt);
}

function loginProblems(state: PreflightState): Problem[] {
  const { credentials } = state;
  if (!credentials) return [];
  const problems: Problem[] = [];
  const fix = "Run `cairn login --server URL --token TOKEN` with a valid token; queued rows are kept";
  if (credentials.expiresAt && Date.parse(credentials.expiresAt) <= state.now.getTime()) {
    problems.push({
      code: "login_expired",
      message: `The saved token expired at ${credentials.expiresAt}`,
      fix,
      field: "token",
      stops: "login",
    });
  } else if (refusedSinceLogin(state.unauthorizedAt, credentials)) {
    problems.push({
      code: "login_rejected",
      message: `The server refused the saved token at ${state.unauthorizedAt} (expired or revoked)`,
      fix,
      field: "token",
      stops: "login",
    });
  }
  return problems;
}

function queueProblems(state: PreflightState): Problem[] {
  const problems: Problem[] = [];
  if (!state.credentials && state.queue.pending > 0) {
    problems.push({
      code: "not_logged_in",
      message: `${state.queue.pending} row(s) written before any login wait in the local scope`,
      fix: "Run `cairn login`, then `cairn sync adopt` to move them into that account",
    });
  }
  if (state.credentials && state.localScopePending > 0) {
    problems.push({
      code: "unadopted_local_rows",
      message: `${state.localScopePending} row(s) written before login wait in the local scope`,
      fix: "Run `cairn sync adopt` to move them into this account",
    });
  }
  for (const other of state.otherScopes) {
    problems.push({
      code: "other_scope_pending",
      message: `${other.pending} row(s) of another login (${other.scope}) are kept, unsent`,
      fix: "Log in as that account again to send them (they are never sent as this one)",
      field: "scope",
      actual: other.scope,
    });
  }
  if (state.queue.dead > 0) {
    problems.push({
      code: "dead_rows",
      message: `${state.queue.dead} row(s) could not be applied by the server (rejected, or failing there every time)`,
      fix: "See why with `cairn sync queue`, then `cairn sync retry`",
    });
  }
  if (state.fork && !state.fork.settled) {
    problems.push({
      code: "device_forked",
      message:
        `This store was copied or restored: another copy pushed as device ${state.fork.from}, so at ` +
        `${state.fork.at} this one became device ${state.fork.device} and sends its rows again (nothing is lost or doubled)`,
      fix: "Run `cairn sync now` to finish re-sending and to pull what the other copy wrote",
      field: "device",
      expected: state.fork.device,
      actual: state.fork.from,
    });
  }
  for (const alert of state.openAlerts) {
    problems.push({
      code: "destruction_alert",
      message: `${alert.severity} alert ${alert.id}: ${alert.deleteCount} deletes in a short time (${alert.createdAt})`,
      fix: `Check it with \`cairn alerts list\`, then \`cairn alerts ack ${alert.id}\``,
      field: "alert",
      actual: alert.id,
    });
  }
  if (state.paused) {
    problems.push({ code: "sync_paused", message: "Sync is paused: nothing is sent", fix: "Run `cairn sync resume`" });
  }
  return problems;
}

function daemonProblems(state: PreflightState): Problem[] {
  const problems: Problem[] = [];
  for (const daemon of state.daemons) {
    if (daemon.read === null) continue;
    if ("damaged" in daemon.read) {
      problems.push({
        code: "daemon_record_damaged",
        message: `The daemon owner record ${daemon.path} is damaged (${daemon.read.damaged})`,
        fix: "Run `cairn doctor --fix` to remove it (no process is touched)",
        field: "owner_record",
      });
      continue;
    }
    const { record } = daemon.read;
    if (daemon.orphan !== null) {
      problems.push({
        code: "daemon_orphaned",
        message: `The daemon record of ${daemon.scope} is orphaned: ${daemon.orphan}`,
        fix: "Run `cairn doctor --fix` to remove the record, or `cairn sync daemon start` to replace it",
        field: "pid",
        actual: String(record.pid),
      });
      continue;
    }
    if (daemon.scope !== state.scope || !state.credentials) continue;
    const restart = "Run `cairn sync daemon stop`, then `cairn sync daemon start`";
    const compare: [string, string, string][] = [
      ["server", trimSlash(state.credentials.server), trimSlash(record.server)],
      ["user", state.credentials.user.id, record.user.id],
      ["store", state.storePath, record.storePath],
      ["version", state.version, record.version],
    ];
    for (const [field, expected, actual] of compare) {
      if (expected === actual) continue;
      problems.push({
        code: "daemon_mismatch",
        message: `The daemon (pid ${record.pid}) runs with ${field} ${actual}, this CLI has ${expected}`,
        fix: restart,
        field,
        expected,
        actual,
      });
    }
  }
  return problems;
}

/** The refusal text: at most `maxLines` lines, one per problem, each with its code and fix. */
export function problemLines(problems: Problem[], maxLines = 25): string[] {
  const header = `${problems.length} sync problem(s):`;
  const lines = problems.map((problem) => `[${problem.code}] ${problem.message}. Fix: ${problem.fix}`);
  if (lines.length + 1 <= maxLines) return [header, ...lines];
  const shown = lines.slice(0, maxLines - 2);
  return [
    header,
    ...shown,
    `… and ${lines.length - shown.length} more (\`cairn sync status --check --json\` lists all)`,
  ];
}

/** The problems as printed by --json (without the internal `stops` flag). */
export function publicProblems(problems: Problem[]): Omit<Problem, "stops">[] {
  return problems.map(({ stops: _stops, ...problem }) => problem);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
