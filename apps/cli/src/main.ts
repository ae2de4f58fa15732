import { homedir, userInfo } from "node:os";
import { createIdGenerator } from "@cairn/core/ids";
import { createNodeHttpTransport, nodeHttpTransport } from "@cairn/sync/http-transport";
import * as z from "zod";
import type { CliContext } from "./cli-context";
import { readCliEnv } from "./cli-env";
import { resolvePaths } from "./paths";
import { runCli } from "./program";
import { writeFd } from "./write-fd";

/** Reads all of stdin, or null when it is a terminal. */
async function readStdin(): Promise<string | null> {
  if (process.stdin.isTTY) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * better-sqlite3's compiled addon, found the way Node finds the package. Its
 * JavaScript is bundled into the CLI (about 6 ms less per start, measured), so
 * the addon path must be handed to it: its own lookup would search beside the bundle.
 */
function sqliteBinding(): string | undefined {
  for (const build of ["Release", "Debug"]) {
    try {
      return require.resolve(`better-sqlite3/build/${build}/better_sqlite3.node`);
    } catch {
      // try the next build type
    }
  }
  return undefined;
}

/** Asks on the terminal; null without one (scripts and agents cannot answer). */
async function ask(question: string): Promise<string | null> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return null;
  const { createInterface } = await import("node:readline/promises");
  const lines = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await lines.question(question);
  } finally {
    lines.close();
  }
}

/**
 * Asks for a secret on the terminal without showing what is typed (a token at `cairn login`);
 * null without a terminal. Backspace edits, Ctrl-C aborts with nothing.
 */
async function askSecret(question: string): Promise<string | null> {
  const input = process.stdin;
  if (!input.isTTY || !process.stderr.isTTY) return null;
  // Echo off before the prompt shows: what is typed as soon as it shows must not be echoed.
  input.setRawMode(true);
  writeFd(2, question);
  input.resume();
  input.setEncoding("utf8");
  return new Promise((resolve) => {
    let typed = "";
    const done = (value: string | null) => {
      input.setRawMode(false);
      input.pause();
      input.off("data", onData);
      writeFd(2, "\n");
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return done(typed);
        if (char === "\u0003" || char === "\u0004") return done(null);
        if (char === "\u007f" || char === "\b") typed = typed.slice(0, -1);
        else if (char >= " ") typed += char;
      }
    };
    input.on("data", onData);
  });
}

/** One progress line, redrawn in place on a terminal; null clears it. Nothing when stderr is not a terminal. */
function progressLine(line: string | null): void {
  if (!process.stderr.isTTY) return;
  writeFd(2, line === null ? "\r\x1b[K" : `\r\x1b[K${line}`);
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "";
  }
}

/** The entry point: the only place that reads process.env and calls process.exit. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // A one-shot command parses a few objects: zod's JIT (a new Function per
  // schema) costs more than it saves. The server parses thousands: keep it.
  // `recover` parses whole pages of rows: it keeps the JIT too.
  if (argv[0] !== "serve" && argv[0] !== "recover") z.config({ jitless: true });
  const env = readCliEnv(process.env);
  const now = () => new Date();
  // Crash tests only: die like a power cut (SIGKILL, no clean-up) at one named durable step.
  const crashAt = (point: string) => {
    if (env.CAIRN_TEST_CRASH_AT === point) process.kill(process.pid, "SIGKILL");
  };
  const context: CliContext = {
    env,
    paths: resolvePaths(env, process.platform, homedir()),
    cwd: process.cwd(),
    now,
    newId: createIdGenerator(() => now().getTime()),
    transport:
      env.CAIRN_TEST_CRASH_AT === "client.push.sent"
        ? createNodeHttpTransport({
            onRequestSent: (request) => {
              if (request.url.pathname === "/api/sync/push") crashAt("client.push.sent");
            },
          })
        : nodeHttpTransport,
    readStdin,
    stopSignal: () =>
      new Promise((resolve) => {
        process.once("SIGINT", () => resolve("SIGINT"));
        process.once("SIGTERM", () => resolve("SIGTERM"));
      }),
    osUser: osUser(),
    sqliteBinding: sqliteBinding(),
    ask,
    askSecret,
    // Asked lazily: touching process.stdout loads Node's stream modules, ~5 ms of every command.
    stdoutIsTerminal: () => (require("node:tty") as typeof import("node:tty")).isatty(1),
    progress: progressLine,
    pid: process.pid,
    executable: { node: process.execPath, script: process.argv[1] ?? "" },
    crashAt,
    stdout: (text) => writeFd(1, text),
    stderr: (text) => writeFd(2, text),
  };
  const code = await runCli(context, argv);
  // Exit explicitly (output is already written, synchronously): an idle
  // keep-alive socket or a stray timer must not hold the process.
  process.exit(code);
}

void main();
