import { readdirSync } from "node:fs";
import { join } from "node:path";
import { processAlive } from "@cairn/sync/drain-lock";
import type { LocalStore } from "@cairn/sync/local-store";
import { peekStore } from "@cairn/sync/peek-store";
import type { CliContext } from "./cli-context";
import { type Credentials, scopeKey } from "./credentials";
import { listOwnerRecords, orphanReason } from "./daemon/owner-record";
import { scopeStorePath } from "./paths";
import { type PreflightState, type Problem, preflightProblems } from "./preflight";
import { cliVersion } from "./version";

/**
 * Loads what preflight compares, read-only: the login, the scope's open
 * store, every daemon owner record and a read-only peek at the other scopes'
 * stores. No network (it must answer within 100 ms, server down or not).
 */
export function loadPreflight(context: CliContext, credentials: Credentials | null, local: LocalStore): PreflightState {
  const now = context.now();
  const scope = scopeKey(credentials);
  const peekOptions = { nativeBinding: context.sqliteBinding, now, isAlive: processAlive };
  let localScopePending = 0;
  const otherScopes: PreflightState["otherScopes"] = [];
  for (const other of scopeStores(context)) {
    if (other.scope === scope) continue;
    const peek = peekStore(other.path, peekOptions);
    if (!peek || peek.pending === 0) continue;
    if (other.scope === "local") localScopePending = peek.pending;
    else otherScopes.push({ scope: other.scope, pending: peek.pending });
  }
  const counts = local.outbox.counts();
  return {
    now,
    version: cliVersion,
    credentials,
    scope,
    storePath: local.path,
    storeIdentity: local.identity,
    queue: { pending: counts.pending, dead: counts.dead },
    paused: local.state.get("paused") !== null,
    unauthorizedAt: local.state.get("unauthorizedAt"),
    daemons: listOwnerRecords(context.paths).map((daemon) => ({
      ...daemon,
      orphan: daemon.read && "record" in daemon.read ? orphanReason(daemon.read.record, processAlive) : null,
    })),
    localScopePending,
    otherScopes,
    openAlerts: parseAlerts(local.state.get("openAlerts")),
    fork: forkOf(local),
  };
}

/** The fork this store went through, if any (see LocalStore.becomeNewDevice). */
export function forkOf(local: LocalStore): PreflightState["fork"] {
  const from = local.state.get("forkedFrom");
  const at = local.state.get("forkedAt");
  if (from === null || at === null) return null;
  const lastSuccess = local.state.get("lastSuccessAt");
  return { from, device: local.deviceId, at, settled: lastSuccess !== null && lastSuccess > at };
}

function parseAlerts(text: string | null): PreflightState["openAlerts"] {
  if (text === null) return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as PreflightState["openAlerts"]) : [];
  } catch {
    return [];
  }
}

/** The preflight problems of the current scope. */
export function preflight(context: CliContext, credentials: Credentials | null, local: LocalStore): Problem[] {
  return preflightProblems(loadPreflight(context, credentials, local));
}

/** Every scope store file on this machine. */
export function scopeStores(context: CliContext): { scope: string; path: string }[] {
  const dir = join(scopeStorePath(context.paths, "local"), "..");
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith(".db"))
    .map((name) => ({ scope: name.slice(0, -".db".length), path: join(dir, name) }));
}
