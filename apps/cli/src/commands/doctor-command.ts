import { rmSync } from "node:fs";
import type { Command } from "commander";
import { type CliContext, credentialsOf } from "../cli-context";
import { scopeKey } from "../credentials";
import { printResult } from "../output";

interface Finding {
  code:
    | "daemon_orphaned"
    | "daemon_record_damaged"
    | "stale_lock"
    | "live_lock"
    | "daemon_running"
    | "store_unreadable";
  scope: string;
  message: string;
  fix: string;
  /** What `--fix` did about it (only records and stale locks are ever touched). */
  fixed?: boolean;
}

/**
 * `cairn doctor [--fix]`: lists every daemon owner record and drain lock on
 * this machine, says which are orphaned or stale and how to clear them.
 * `--fix` removes orphaned records and stale locks; it never kills a process.
 */
export function registerDoctorCommand(program: Command, context: CliContext): void {
  program
    .command("doctor")
    .description("Find orphaned daemon records and stale drain locks (and clear them with --fix)")
    .option("--fix", "remove orphaned records and stale locks (never kills a process)")
    .option("--json", "print JSON")
    .action(async (options: { fix?: boolean; json?: boolean }) => {
      const [{ processAlive, clearStaleDrainLock }, { peekStore }, records, { scopeStores }] = await Promise.all([
        import("@cairn/sync/drain-lock"),
        import("@cairn/sync/peek-store"),
        import("../daemon/owner-record"),
        import("../preflight-load"),
      ]);
      const findings: Finding[] = [];
      for (const daemon of records.listOwnerRecords(context.paths)) {
        if (daemon.read === null) continue;
        if ("damaged" in daemon.read) {
          const finding: Finding = {
            code: "daemon_record_damaged",
            scope: daemon.scope,
            message: `The owner record ${daemon.path} is damaged (${daemon.read.damaged})`,
            fix: "`cairn doctor --fix` removes it",
          };
          if (options.fix) finding.fixed = remove(daemon.path);
          findings.push(finding);
          continue;
        }
        const { record } = daemon.read;
        const orphan = records.orphanReason(record, processAlive);
        if (orphan === null) {
          findings.push({
            code: "daemon_running",
            scope: daemon.scope,
            message: `A sync daemon runs for ${record.user.name} on ${record.server} (pid ${record.pid}, version ${record.version})`,
            fix: "nothing to fix; `cairn sync daemon stop` stops it (logged in as that account)",
          });
          continue;
        }
        const finding: Finding = {
          code: "daemon_orphaned",
          scope: daemon.scope,
          message: `The daemon record ${daemon.path} is orphaned: ${orphan}`,
          fix: "`cairn doctor --fix` removes the record, or `cairn sync daemon start` replaces it",
        };
        if (options.fix) finding.fixed = records.removeOwnerRecord(daemon.path, record.pid);
        findings.push(finding);
      }

      const now = context.now();
      for (const store of scopeStores(context)) {
        const peek = peekStore(store.path, { nativeBinding: context.sqliteBinding, now, isAlive: processAlive });
        if (!peek) {
          findings.push({
            code: "store_unreadable",
            scope: store.scope,
            message: `The store ${store.path} cannot be read`,
            fix: `Move it aside (mv "${store.path}" "${store.path}.damaged")`,
          });
          continue;
        }
        if (!peek.lock) continue;
        const holder = `${peek.lock.role} (pid ${peek.lock.pid}) since ${peek.lock.acquiredAt}`;
        if (!peek.lock.stale) {
          findings.push({
            code: "live_lock",
            scope: store.scope,
            message: `${store.scope} is being drained by ${holder}`,
            fix: "nothing to fix; it is released when that drain ends",
          });
          continue;
        }
        const finding: Finding = {
          code: "stale_lock",
          scope: store.scope,
          message: `${store.scope} has a stale drain lock of ${holder}: its process is gone or its lease ran out`,
          fix: "the next drain takes it over; `cairn doctor --fix` clears it now",
        };
        if (options.fix) finding.fixed = await clearLock(context, store.path, clearStaleDrainLock, processAlive);
        findings.push(finding);
      }

      const credentials = credentialsOf(context);
      const result = { scope: scopeKey(credentials), findings };
      const problems = findings.filter((finding) => finding.code !== "daemon_running" && finding.code !== "live_lock");
      printResult(context, Boolean(options.json), result, () =>
        findings.length === 0
          ? "ok: no daemon records, no drain locks"
          : [
              ...findings.map(
                (finding) =>
                  `[${finding.code}] ${finding.message}${finding.fixed === undefined ? `\n  fix: ${finding.fix}` : finding.fixed ? "\n  fixed" : "\n  not fixed (it changed meanwhile)"}`,
              ),
              problems.length === 0 ? "ok: nothing orphaned or stale" : "",
            ]
              .filter(Boolean)
              .join("\n"),
      );
    });
}

function remove(path: string): boolean {
  try {
    rmSync(path);
    return true;
  } catch {
    return false;
  }
}

async function clearLock(
  context: CliContext,
  path: string,
  clear: (db: import("better-sqlite3").Database, now: Date, isAlive: (pid: number) => boolean) => boolean,
  isAlive: (pid: number) => boolean,
): Promise<boolean> {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(path, {
    fileMustExist: true,
    ...(context.sqliteBinding ? { nativeBinding: context.sqliteBinding } : {}),
  });
  try {
    db.pragma("busy_timeout = 5000");
    return clear(db, context.now(), isAlive);
  } finally {
    db.close();
  }
}
