import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cairnBin, cairnProcess, cleanup, freePort, type ServerProcess, startServer, tempDir } from "./harness";

/**
 * Runs `cairn …` in a pseudo-terminal (util-linux `script`), as a person at a terminal runs
 * it: stdin, stdout and stderr are a TTY. `answer` replies to a prompt once `prompt` shows.
 */
function inTerminal(
  home: string,
  args: string[],
  options: { prompt?: string; answer?: string; env?: Record<string, string> } = {},
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, cairnBin, ...args].map((part) => `'${part.replaceAll("'", "'\\''")}'`).join(" ");
  return new Promise((resolve) => {
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      env: { ...process.env, CAIRN_HOME: home, NODE_EXTRA_CA_CERTS: "", ...options.env },
      cwd: home,
    });
    let output = "";
    let answered = false;
    child.stdout.on("data", (chunk) => {
      output += String(chunk);
      if (options.prompt && !answered && output.includes(options.prompt)) {
        answered = true;
        child.stdin.write(`${options.answer ?? ""}\r`);
      }
    });
    child.once("close", (code) => resolve({ code, output }));
  });
}

describe("the CLI at a terminal", () => {
  const home = tempDir("terminal");
  let server: ServerProcess;
  let token = "";
  beforeAll(async () => {
    server = await startServer({ dataDir: join(home, "server") });
    token = server.adminToken ?? "";
  });
  afterAll(async () => {
    await server.stop();
    cleanup(home);
  });

  it("asks for the token at login without showing it", async () => {
    const login = await inTerminal(home, ["login", "--server", server.url], {
      prompt: "(not shown): ",
      answer: token,
    });
    expect(login.code).toBe(0);
    expect(login.output).toContain(`Token for ${server.url} (not shown): `);
    expect(login.output).toContain(`logged in to ${server.url} as admin`);
    expect(login.output).not.toContain(token);
    expect(cairnProcess(home, ["whoami", "--json"]).json()).toMatchObject({ user: { name: "admin" } });
  });

  it("draws a progress bar with the total and the rate on a terminal, and nothing when piped", async () => {
    const rows = Array.from({ length: 1200 }, (_, index) =>
      JSON.stringify({
        type: "memory",
        memory: {
          id: `progress-${String(index).padStart(5, "0")}`,
          projectId: "progress",
          sessionId: null,
          kind: "note",
          content: `memory ${index} ${"x".repeat(200)}`,
          tags: [],
          createdAt: "2026-01-01T00:00:00.000Z",
          updatedAt: "2026-01-01T00:00:00.000Z",
          version: "1767225600000.0000.import",
          deletedAt: null,
        },
      }),
    );
    const file = join(home, "rows.jsonl");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const shown = await inTerminal(home, ["import", file]);
    expect(shown.code).toBe(0);
    expect(shown.output).toMatch(/█+░*\s+\d+%\s+imported [\d,]+\/about [\d,]+ rows/);
    expect(shown.output).toMatch(/[\d,]+ rows\/s/);
    expect(shown.output).toContain("imported 1200 rows");
    const piped = cairnProcess(home, ["import", file]);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe("");
    expect(piped.stdout).toContain("0 new, 1200 unchanged");
  });

  it("logs one readable line per request when served at a terminal", async () => {
    const port = await freePort();
    const dataDir = join(home, "readable");
    const command = [process.execPath, cairnBin, "serve", "--port", String(port), "--data", dataDir];
    const child = spawn("script", ["-qfec", command.join(" "), "/dev/null"], {
      env: { ...process.env, CAIRN_HOME: home },
    });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += String(chunk);
    });
    const closed = new Promise((resolve) => child.once("close", resolve));
    /** Resolves once the terminal has shown `text` (on the output's own events, not a timer). */
    const shows = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!output.includes(text)) return;
          child.stdout.off("data", check);
          resolve();
        };
        child.stdout.on("data", check);
        check();
      });
    await shows("Cairn server ready");
    expect(output).toContain(`Cairn server ready at http://127.0.0.1:${port} (sqlite: ${join(dataDir, "cairn.db")})`);
    await fetch(`http://127.0.0.1:${port}/healthz`);
    await fetch(`http://127.0.0.1:${port}/api/me`);
    await shows("/api/me");
    child.stdin.write("\u0003"); // Ctrl-C: the server stops cleanly
    await closed;
    expect(output).toMatch(/\d{2}:\d{2}:\d{2} {2}200 {2}GET \/healthz {2}[\d.]+ ms/);
    expect(output).toMatch(/401 {2}GET \/api\/me/);
    expect(output).not.toContain('{"level"');
  });

  it("reads the question of `cairn ask` from stdin", async () => {
    expect(cairnProcess(home, ["remember", "The vault code is 4711", "--project", "vault"]).code).toBe(0);
    const asked = cairnProcess(home, ["ask", "--json"], { input: "what is the vault code?\n" });
    expect(asked.code).toBe(0);
    expect(asked.json<{ answer: string; abstained: boolean }>()).toMatchObject({
      abstained: false,
      answer: expect.stringContaining("4711"),
    });
  });
});
