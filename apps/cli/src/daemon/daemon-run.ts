import { randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AppError } from "@cairn/core/app-error";
import { processAlive } from "@cairn/sync/drain-lock";
import type { LocalStore } from "@cairn/sync/local-store";
import { type CliContext, openScope, requireCredentials } from "../cli-context";
import { type Credentials, readCredentials, scopeKey } from "../credentials";
import { drainScope, loginRejected } from "../drain-scope";
import { cliVersion } from "../version";
import { ownerRecordPath } from "./daemon-paths";
import {
  claimOwnerRecord,
  type OwnerRecord,
  orphanReason,
  readOwnerRecord,
  removeOwnerRecord,
  replaceOwnerRecord,
} from "./owner-record";

/** What the last pass did, for `cairn sync daemon status`. */
interface PassReport {
  at: string;
  reason: string;
  outcome: string;
  pushed: number;
  pending: number;
  dead: number;
}

/**
 * The sync daemon of one scope (`cairn sync daemon run`, started detached by
 * `daemon start`). It drains the outbox when a write wakes it (loopback HTTP,
 * authenticated by a random token from its owner record), when the last
 * failure's backoff ends, and on a periodic tick, so retries happen without
 * new writes. Each pass takes the scope's drain lock like any other drainer.
 * It re-reads the login before every pass and sends nothing when the login
 * is another scope's or was refused: a scope's rows never travel with
 * another identity's token.
 */
export async function runDaemon(context: CliContext): Promise<void> {
  // Listen for signals first: a SIGTERM during start-up must still remove the record.
  const signalled = context.stopSignal();
  const credentials = requireCredentials(context);
  const scope = scopeKey(credentials);
  const recordPath = ownerRecordPath(context.paths, scope);
  const tickMs = positive(context.env.CAIRN_DAEMON_TICK_MS, 30_000);
  const wakeToken = randomBytes(32).toString("hex");
  const local = await openScope(context, credentials);
  const log = (fields: Record<string, unknown>) =>
    context.stdout(`${JSON.stringify({ time: context.now().toISOString(), pid: context.pid, ...fields })}\n`);

  let stopRequested: () => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    stopRequested = () => resolve("stop request");
  });
  const passes = new PassScheduler(
    async (reason) => {
      const report = await pass(context, local, scope, reason);
      log({ event: "pass", ...report });
      return report;
    },
    tickMs,
    () => local.state.get("nextAttemptAt"),
  );

  const server = createServer((request, response) => {
    void handle(request, response, { wakeToken, passes, scope, stop: () => stopRequested() }).catch(() => {
      response.statusCode = 500;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const record: OwnerRecord = {
    format: 1,
    pid: context.pid,
    startedAt: context.now().toISOString(),
    version: cliVersion,
    executable: context.executable,
    server: credentials.server,
    user: credentials.user,
    scope,
    storePath: local.path,
    port: (server.address() as AddressInfo).port,
    wakeToken,
  };
  if (!claim(recordPath, record)) {
    server.close();
    await local.close();
    throw new AppError("conflict", `A sync daemon already runs for ${scope}`, {
      hint: "`cairn sync daemon status` shows it; `cairn sync daemon stop` stops it.",
    });
  }
  log({ event: "started", scope, port: record.port, store: local.path, tickMs });
  passes.request("start");
  const why = await Promise.race([stopped, signalled]);
  passes.stop();
  await passes.idle();
  server.close();
  removeOwnerRecord(recordPath, context.pid);
  await local.close();
  log({ event: "stopped", why });
}

/** Takes the scope's owner record: a live daemon's record wins, an orphaned one is replaced. */
function claim(path: string, record: OwnerRecord): boolean {
  if (claimOwnerRecord(path, record)) return true;
  const existing = readOwnerRecord(path);
  if (existing && "record" in existing && orphanReason(existing.record, processAlive) === null) return false;
  replaceOwnerRecord(path, record);
  return true;
}

/** One pass: re-check the login, respect the backoff, drain under the lock. */
async function pass(context: CliContext, local: LocalStore, scope: string, reason: string): Promise<PassReport> {
  const at = context.now().toISOString();
  const report = (outcome: string, pushed = 0): PassReport => {
    const counts = local.outbox.counts();
    return { at, reason, outcome, pushed, pending: counts.pending, dead: counts.dead };
  };
  let credentials: Credentials | null;
  try {
    credentials = readCredentials(context.paths);
  } catch {
    return report("waiting: the credentials file is damaged");
  }
  if (!credentials || scopeKey(credentials) !== scope) return report("waiting: the login is not this scope's");
  if (loginRejected(local, credentials)) return report("waiting: the server refused the login; log in again");
  const nextAttemptAt = local.state.get("nextAttemptAt");
  if (nextAttemptAt !== null && Date.parse(nextAttemptAt) > context.now().getTime()) return report("backing off");
  try {
    const result = await drainScope(context, local, credentials, {
      role: "daemon",
      deadlineMs: 60_000,
      waitForLock: true,
    });
    const outcome = result.skipped ?? (result.error ? `error: ${result.error.code}: ${result.error.message}` : "ok");
    return report(outcome, result.pushed);
  } catch (error) {
    return report(`error: ${(error as Error).message.split("\n")[0]}`);
  }
}

/**
 * Runs passes one at a time: a request during a pass runs one more pass
 * after it (so a write is never missed), and `waitFor` resolves once a pass
 * that started after the request has finished. Between passes a timer waits
 * for the tick or the end of the backoff, whichever comes first.
 */
class PassScheduler {
  private running: Promise<void> | null = null;
  private wanted: string | null = null;
  private started = 0;
  private finished = 0;
  private waiters: { target: number; resolve: (report: PassReport | null) => void }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  last: PassReport | null = null;

  constructor(
    private readonly run: (reason: string) => Promise<PassReport>,
    private readonly tickMs: number,
    private readonly nextAttemptAt: () => string | null,
  ) {}

  /** Asks for a pass; resolves with the report of the first pass that starts after now. */
  request(reason: string): Promise<PassReport | null> {
    const target = this.started + 1;
    const done = new Promise<PassReport | null>((resolve) => this.waiters.push({ target, resolve }));
    if (this.stopped) return Promise.resolve(null);
    this.wanted = reason;
    this.running ??= this.loop();
    return done;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  async idle(): Promise<void> {
    await this.running;
    for (const waiter of this.waiters.splice(0)) waiter.resolve(null);
  }

  private async loop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    while (this.wanted !== null && !this.stopped) {
      const reason = this.wanted;
      this.wanted = null;
      this.started += 1;
      this.last = await this.run(reason);
      this.finished += 1;
      const ready = this.waiters.filter((waiter) => waiter.target <= this.finished);
      this.waiters = this.waiters.filter((waiter) => waiter.target > this.finished);
      for (const waiter of ready) waiter.resolve(this.last);
    }
    this.running = null;
    if (this.stopped) return;
    // The next pass: at the tick, or when the backoff of the last failure ends if that is sooner.
    const backoffEnds = this.nextAttemptAt();
    const untilBackoff = backoffEnds === null ? Number.NaN : Date.parse(backoffEnds) - Date.now() + 10;
    const wait = untilBackoff > 10 ? Math.min(this.tickMs, untilBackoff) : this.tickMs;
    this.timer = setTimeout(() => void this.request(wait === this.tickMs ? "tick" : "backoff ended"), wait);
  }
}

/** The control port: POST /wake[?waitMs=N], GET /status, POST /stop, each with the wake token. */
async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  daemon: { wakeToken: string; passes: PassScheduler; scope: string; stop: () => void },
): Promise<void> {
  const send = (status: number, body: unknown) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  if (!tokenMatches(request.headers.authorization, daemon.wakeToken)) {
    send(401, { error: { code: "unauthenticated", message: "Wrong or missing daemon token" } });
    return;
  }
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  if (request.method === "POST" && url.pathname === "/wake") {
    const waitMs = Math.min(positive(url.searchParams.get("waitMs") ?? undefined, 0), 60_000);
    const pass = daemon.passes.request("wake");
    const report = waitMs > 0 ? await Promise.race([pass, delay(waitMs)]) : null;
    send(200, { woken: true, pass: report ?? null });
    return;
  }
  if (request.method === "GET" && url.pathname === "/status") {
    send(200, { pid: process.pid, scope: daemon.scope, lastPass: daemon.passes.last });
    return;
  }
  if (request.method === "POST" && url.pathname === "/stop") {
    send(200, { stopping: true });
    daemon.stop();
    return;
  }
  send(404, { error: { code: "not_found", message: "No such daemon route" } });
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer (\S+)$/.exec(header ?? "")?.[1] ?? "");
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function delay(ms: number): Promise<null> {
  return new Promise((resolve) => setTimeout(() => resolve(null), ms).unref());
}

function positive(value: string | undefined, fallback: number): number {
  const number = Number(value);
  return value !== undefined && Number.isFinite(number) && number >= 0 ? number : fallback;
}
