import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createIdGenerator } from "@cairn/core/ids";
import { testDatabaseUrl, testPgDisabled } from "@cairn/store/postgres/test-database";
import { nodeHttpTransport } from "@cairn/sync/http-transport";
import pg from "pg";
import type { CliContext } from "../src/cli-context";
import { readCliEnv } from "../src/cli-env";
import { resolvePaths } from "../src/paths";
import { runCli } from "../src/program";

/** The real, built CLI: tests run what users run. */
export const cairnBin = fileURLToPath(new URL("../bin/cairn.cjs", import.meta.url));

export interface CliResult {
  code: number;
  /** The signal that ended the process (crash tests: SIGKILL). */
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  json<T = Record<string, unknown>>(): T;
}

/** A throwaway directory, removed by `cleanup`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `cairn-${prefix}-`));
}

export function cleanup(...dirs: string[]): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs `cairn …` in this process: the CLI's own `runCli` with a test context (its own
 * CAIRN_HOME, stdin, captured output), as `main` would run it. Most tests use it; those about
 * processes (crashes, the daemon, start-up, the terminal, the built bundle) use `cairnProcess`.
 */
export async function cairn(
  home: string,
  args: string[],
  options: { input?: string; cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  // A crash point kills the process it is reached in: that must be a process of its own.
  if (options.env?.CAIRN_TEST_CRASH_AT) return cairnProcess(home, args, options);
  const { context, output } = testContext(home, options);
  const code = await runCli(context, args);
  const { stdout, stderr } = output();
  return {
    code,
    signal: null,
    stdout,
    stderr,
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`not JSON (exit ${code}): ${stdout}\n${stderr}`);
      }
    },
  };
}

/**
 * The context `main` would make, for a CLI run in this process: its own CAIRN_HOME and
 * environment, the given stdin, no terminal, and its output captured.
 */
export function testContext(
  home: string,
  options: { input?: string; cwd?: string; env?: Record<string, string> } = {},
): { context: CliContext; output(): { stdout: string; stderr: string } } {
  const env = readCliEnv({ ...cleanEnv(), CAIRN_HOME: home, ...options.env });
  let stdout = "";
  let stderr = "";
  const now = () => new Date();
  const context: CliContext = {
    env,
    paths: resolvePaths(env, process.platform, homedir()),
    cwd: options.cwd ?? home,
    now,
    newId: createIdGenerator(() => now().getTime()),
    transport: nodeHttpTransport,
    readStdin: async () => options.input ?? "",
    stopSignal: () => new Promise<string>(() => {}),
    osUser: userInfo().username,
    ask: async () => null,
    askSecret: async () => null,
    stdoutIsTerminal: () => false,
    progress: () => {},
    pid: process.pid,
    executable: { node: process.execPath, script: cairnBin },
    crashAt: () => {},
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
  };
  return { context, output: () => ({ stdout, stderr }) };
}

/** Runs `cairn …` as a child process of the built CLI, with its own CAIRN_HOME. */
export function cairnProcess(
  home: string,
  args: string[],
  options: { input?: string; cwd?: string; env?: Record<string, string> } = {},
): CliResult {
  const result = spawnSync(process.execPath, [cairnBin, ...args], {
    cwd: options.cwd ?? home,
    input: options.input ?? "",
    encoding: "utf8",
    timeout: 30_000,
    env: { ...cleanEnv(), CAIRN_HOME: home, ...options.env },
  });
  const stdout = result.stdout ?? "";
  return {
    code: result.status ?? -1,
    signal: result.signal,
    stdout,
    stderr: result.stderr ?? "",
    json<T>() {
      try {
        return JSON.parse(stdout) as T;
      } catch {
        throw new Error(`not JSON (exit ${result.status}): ${stdout}\n${result.stderr}`);
      }
    },
  };
}

/** `cairn thread push --project P --thread T TEXT --json`, the entry write most tests need. */
export function pushEntry(
  home: string,
  where: `${string}/${string}`,
  text: string,
  options: { env?: Record<string, string> } = {},
): Promise<CliResult> {
  const [project = "", thread = ""] = where.split("/");
  return cairn(home, ["thread", "push", "--project", project, "--thread", thread, text, "--json"], options);
}

/** `pushEntry` through a child process of the built CLI. */
export function pushEntryProcess(
  home: string,
  where: `${string}/${string}`,
  text: string,
  options: { env?: Record<string, string> } = {},
): CliResult {
  const [project = "", thread = ""] = where.split("/");
  return cairnProcess(home, ["thread", "push", "--project", project, "--thread", thread, text, "--json"], options);
}

/** `cairn` without blocking this process's event loop (for servers living in the test process). */
export function cairnAsync(
  home: string,
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cairnBin, ...args], {
      cwd: home,
      env: { ...cleanEnv(), CAIRN_HOME: home, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += String(chunk);
    });
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    child.once("close", (code, signal) =>
      resolve({
        code: code ?? -1,
        signal,
        stdout,
        stderr,
        json<T>() {
          return JSON.parse(stdout) as T;
        },
      }),
    );
  });
}

/** The parent's environment without anything Cairn or test-runner specific. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("CAIRN_") && !key.startsWith("VITEST")) env[key] = value;
  }
  return env;
}

/** A free loopback port (the server binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  adminToken: string | null;
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** Starts `cairn serve --json` on a port and waits for its ready line. */
export async function startServer(options: {
  dataDir: string;
  port?: number;
  databaseUrl?: string;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const args = [cairnBin, "serve", "--json", "--port", String(port), "--data", options.dataDir, "--log-level", "warn"];
  if (options.databaseUrl) args.push("--database-url", options.databaseUrl);
  const child = spawn(process.execPath, args, {
    env: { ...cleanEnv(), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  const ready = await new Promise<{ url: string; adminToken: string | null }>((resolveReady, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 20_000);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      try {
        const parsed = JSON.parse(line) as { ready?: boolean; url?: string; adminToken?: string | null };
        if (parsed.ready && parsed.url) {
          clearTimeout(timer);
          resolveReady({ url: parsed.url, adminToken: parsed.adminToken ?? null });
        }
      } catch {
        // log lines are not the banner
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before it was ready: ${stderr}`));
    });
  });
  return {
    url: ready.url,
    port,
    child,
    adminToken: ready.adminToken,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * Creates a user on the server's database directly and returns its token. `create`: the database
 * does not exist yet (no server has started on it), and this makes it, as `--create` does.
 */
export async function addUser(
  home: string,
  dataDir: string,
  name: string,
  databaseUrl?: string,
  options: { create?: boolean } = {},
): Promise<{ id: string; token: string }> {
  const where = databaseUrl ? ["--database-url", databaseUrl] : ["--data", dataDir];
  const result = await cairn(home, [
    "admin",
    "user",
    "add",
    name,
    ...where,
    ...(options.create ? ["--create"] : []),
    "--json",
  ]);
  if (result.code !== 0) throw new Error(`admin user add failed: ${result.stderr}`);
  const body = result.json<{ user: { id: string }; token: string }>();
  return { id: body.user.id, token: body.token };
}

/** Reads a thread through the HTTP API with a token (what the server holds). */
export async function serverThread(
  url: string,
  token: string,
  thread: string,
  project: string,
): Promise<{ status: number; entries: { id: string; content: string }[]; total: number }> {
  const response = await fetch(`${url}/api/threads/${thread}?project=${project}&limit=500`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const body = (await response.json()) as { entries?: { id: string; content: string }[]; total?: number };
  return { status: response.status, entries: body.entries ?? [], total: body.total ?? 0 };
}

/**
 * The server databases end-to-end tests run against: SQLite always, and
 * PostgreSQL (a schema of its own per backend, dropped by `dispose`) unless
 * CAIRN_TEST_PG=off.
 */
export function serverBackends(): {
  name: string;
  databaseUrl: () => string | undefined;
  dispose: () => Promise<void>;
}[] {
  const sqlite = { name: "sqlite", databaseUrl: () => undefined, dispose: async () => {} };
  if (testPgDisabled()) return [sqlite];
  const schema = `cairn_e2e_${process.pid}_${randomBytes(4).toString("hex")}`;
  const postgres = {
    name: "postgres",
    databaseUrl: () => {
      const url = new URL(testDatabaseUrl());
      url.searchParams.set("schema", schema);
      return url.toString();
    },
    dispose: async () => {
      const client = new pg.Client({ connectionString: testDatabaseUrl() });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
  return [sqlite, postgres];
}

/** `items.map(each)` for an async `each`, one after another (CLI commands on one home run in order). */
export async function inOrder<T, R>(items: readonly T[], each: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) results.push(await each(item));
  return results;
}
