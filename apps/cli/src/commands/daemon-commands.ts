import { AppError } from "@cairn/core/app-error";
import type { Command } from "commander";
import { type CliContext, requireCredentials } from "../cli-context";
import { scopeKey } from "../credentials";
import { daemonLogPath, daemonsDir, ownerRecordPath } from "../daemon/daemon-paths";
import { printResult } from "../output";

type JsonOption = { json?: boolean };

/** `cairn sync daemon start|stop|status` (and the hidden `run`, the daemon process itself). */
export function registerDaemonCommands(sync: Command, context: CliContext): void {
  const daemon = sync.command("daemon").description("A background drainer for the current login's scope");

  daemon
    .command("start")
    .description("Start the sync daemon of the current scope (detached; logs beside its owner record)")
    .option("--json", "print JSON")
    .action(async (options: JsonOption) => {
      const credentials = requireCredentials(context);
      const scope = scopeKey(credentials);
      const { liveDaemon } = await import("../daemon/daemon-client");
      const running = await liveDaemon(context, scope);
      if (running) {
        const result = { running: true, started: false, pid: running.pid, port: running.port, scope };
        printResult(context, Boolean(options.json), result, () => `already running (pid ${running.pid})`);
        return;
      }
      const record = await spawnDaemon(context, scope);
      const result = {
        running: true,
        started: true,
        pid: record.pid,
        port: record.port,
        scope,
        log: daemonLogPath(context.paths, scope),
      };
      printResult(context, Boolean(options.json), result, () => `started the sync daemon (pid ${record.pid})`);
    });

  daemon
    .command("stop")
    .description("Stop the sync daemon of the current scope")
    .option("--json", "print JSON")
    .action(async (options: JsonOption) => {
      const credentials = requireCredentials(context);
      const { scopeDaemon, callDaemon } = await import("../daemon/daemon-client");
      const { processAlive } = await import("@cairn/sync/drain-lock");
      const { record, orphan } = await scopeDaemon(context, scopeKey(credentials));
      if (record === null) {
        printResult(context, Boolean(options.json), { stopped: false, running: false }, () => "no daemon runs");
        return;
      }
      if (orphan) {
        const result = { stopped: false, running: false, orphaned: orphan };
        printResult(
          context,
          Boolean(options.json),
          result,
          () => `no daemon runs (its record is orphaned: ${orphan}); \`cairn doctor --fix\` removes it`,
        );
        return;
      }
      await callDaemon(record, "POST", "/stop", 2000);
      // A daemon that does not answer its control port gets SIGTERM: the user asked it to stop.
      if (!(await exited(record.pid, processAlive, 10_000))) {
        process.kill(record.pid, "SIGTERM");
        await exited(record.pid, processAlive, 5000);
      }
      const stopped = !processAlive(record.pid);
      printResult(context, Boolean(options.json), { stopped, running: !stopped, pid: record.pid }, () =>
        stopped ? `stopped the sync daemon (pid ${record.pid})` : `the daemon (pid ${record.pid}) did not stop`,
      );
      if (!stopped) throw new AppError("timeout", `The daemon (pid ${record.pid}) did not stop`);
    });

  daemon
    .command("status")
    .description("Whether the sync daemon of the current scope runs, and its last pass")
    .option("--json", "print JSON")
    .action(async (options: JsonOption) => {
      const credentials = requireCredentials(context);
      const scope = scopeKey(credentials);
      const { scopeDaemon, callDaemon } = await import("../daemon/daemon-client");
      const { record, orphan, damaged } = await scopeDaemon(context, scope);
      let lastPass: unknown = null;
      if (record && !orphan) {
        const answer = await callDaemon(record, "GET", "/status", 2000);
        lastPass = (answer?.body as { lastPass?: unknown } | null)?.lastPass ?? null;
      }
      const result = {
        running: record !== null && orphan === null,
        scope,
        ...(record ? { pid: record.pid, port: record.port, startedAt: record.startedAt, version: record.version } : {}),
        ...(orphan ? { orphaned: orphan } : {}),
        ...(damaged ? { damaged } : {}),
        lastPass,
      };
      printResult(context, Boolean(options.json), result, () =>
        result.running
          ? `running (pid ${record?.pid}, since ${record?.startedAt})${lastPass ? `; last pass: ${JSON.stringify(lastPass)}` : ""}`
          : orphan
            ? `not running; its record is orphaned (${orphan}); \`cairn doctor --fix\` removes it`
            : "not running",
      );
    });

  daemon
    .command("run", { hidden: true })
    .description("Run the daemon in the foreground (what `start` runs detached)")
    .action(async () => {
      const { runDaemon } = await import("../daemon/daemon-run");
      await runDaemon(context);
    });
}

/** Starts `cairn sync daemon run` detached and waits for its owner record. */
async function spawnDaemon(context: CliContext, scope: string) {
  const [{ spawn }, { closeSync, openSync, readFileSync }, { readOwnerRecord }, { privateDirectory }] =
    await Promise.all([
      import("node:child_process"),
      import("node:fs"),
      import("../daemon/owner-record"),
      import("@cairn/store/private-files"),
    ]);
  privateDirectory(daemonsDir(context.paths));
  const logPath = daemonLogPath(context.paths, scope);
  const logFd = openSync(logPath, "a", 0o600);
  const child = spawn(context.executable.node, [context.executable.script, "sync", "daemon", "run"], {
    detached: true,
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  let exitCode: number | null = null;
  child.once("exit", (code) => {
    exitCode = code ?? -1;
  });
  child.unref();
  const deadline = Date.now() + 10_000;
  const recordPath = ownerRecordPath(context.paths, scope);
  while (Date.now() < deadline) {
    const read = readOwnerRecord(recordPath);
    if (read && "record" in read && read.record.pid === child.pid) return read.record;
    if (exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const tail = readFileSync(logPath, "utf8").trim().split("\n").slice(-3).join("\n");
  throw new AppError("internal", `The sync daemon did not start${tail ? `: ${tail}` : ""}`, {
    hint: `See ${logPath}.`,
  });
}

async function exited(pid: number, isAlive: (pid: number) => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}
