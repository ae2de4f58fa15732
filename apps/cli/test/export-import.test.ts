import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  addUser,
  type CliResult,
  cairn,
  cleanup,
  pushEntry,
  type ServerProcess,
  startServer,
  tempDir,
} from "./harness";

const tricky =
  "She said 'ship it' \\ then \"left\".\nSecond line\twith a tab, \r\na CR, and ü ünïcödé — // not a comment;";

function ok(result: CliResult): CliResult {
  if (result.code !== 0) throw new Error(`cairn exited ${result.code}: ${result.stderr}`);
  return result;
}

/** Reads a Cypher map literal as written by the export (strings single-quoted with escapes, lists, null). */
function parseCypherMap(text: string): Record<string, unknown> {
  let at = 0;
  const skip = () => {
    while (text[at] === " ") at++;
  };
  const expect = (char: string) => {
    skip();
    if (text[at] !== char) throw new Error(`expected ${char} at ${at} in ${text.slice(at, at + 20)}`);
    at++;
  };
  const value = (): unknown => {
    skip();
    if (text[at] === "'") {
      at++;
      let out = "";
      for (;;) {
        const char = text[at++];
        if (char === undefined) throw new Error("unterminated string");
        if (char === "'") return out;
        if (char === "\n" || char === "\r") throw new Error("raw line break inside a string");
        if (char !== "\\") {
          out += char;
          continue;
        }
        const escaped = text[at++];
        if (escaped === "u") {
          out += String.fromCharCode(Number.parseInt(text.slice(at, at + 4), 16));
          at += 4;
        } else out += { n: "\n", r: "\r", t: "\t", "\\": "\\", "'": "'" }[escaped ?? ""] ?? `?${escaped}`;
      }
    }
    if (text[at] === "[") {
      at++;
      const list: unknown[] = [];
      skip();
      while (text[at] !== "]") {
        list.push(value());
        skip();
        if (text[at] === ",") at++;
        skip();
      }
      at++;
      return list;
    }
    if (text.startsWith("null", at)) {
      at += 4;
      return null;
    }
    throw new Error(`unexpected value at ${at}: ${text.slice(at, at + 20)}`);
  };
  const map: Record<string, unknown> = {};
  expect("{");
  skip();
  while (text[at] !== "}") {
    const key = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at))?.[0];
    if (!key) throw new Error(`bad key at ${at}`);
    at += key.length;
    expect(":");
    map[key] = value();
    skip();
    if (text[at] === ",") at++;
    skip();
  }
  at++;
  if (text.slice(at).trim() !== "") throw new Error(`trailing text: ${text.slice(at)}`);
  return map;
}

/**
 * Export and import (issue 7) between two `cairn serve` processes: JSON lines
 * out of one server, into an empty one (same ids, same digest), imported a
 * second time (nothing changes); and the Cypher script, parsed back to check
 * its structure and that every string survives quotes, backslashes and
 * line breaks.
 */
describe("export and import", () => {
  const source = tempDir("export-source");
  const target = tempDir("export-target");
  const home = tempDir("export-home");
  let first: ServerProcess;
  let second: ServerProcess;
  let sourceToken = "";
  let targetToken = "";
  const env = { CAIRN_EVENT_SCAN_MS: "50", CAIRN_JOB_POLL_MS: "50" };
  const digest = async (server: ServerProcess, token: string) =>
    (await (
      await fetch(`${server.url}/api/sync/digest`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as Record<string, unknown>;

  beforeAll(async () => {
    sourceToken = (await addUser(source, source, "porter", undefined, { create: true })).token;
    targetToken = (await addUser(target, target, "porter", undefined, { create: true })).token;
    first = await startServer({ dataDir: source, env });
    second = await startServer({ dataDir: target, env });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    cleanup(source, target, home);
  });

  it("exports JSON lines, imports them into an empty server with the same ids and digest, and a second import changes nothing", async () => {
    ok(await cairn(home, ["login", "--server", first.url, "--token", sourceToken]));
    const session = ok(await cairn(home, ["session", "start", "--project", "atlas", "--json"])).json<{
      session: { id: string };
    }>().session.id;
    ok(await pushEntry(home, "atlas/deploys", "Deployed the atlas API to staging."));
    ok(await pushEntry(home, "atlas/deploys", tricky));
    ok(await cairn(home, ["remember", "--project", "atlas", "--tags", "ops,release", tricky]));
    ok(await cairn(home, ["session", "end", "--project", "atlas"]));
    ok(await cairn(home, ["task", "add", "Renew the TLS certificate", "--project", "atlas"]));
    ok(await cairn(home, ["task", "add", "Call the dentist", "--personal"]));
    ok(await cairn(home, ["sync", "now"]));
    // Wait for the server's summary of the ended session, so the export holds it.
    for (let tries = 0; tries < 200; tries++) {
      const record = (await (
        await fetch(`${first.url}/api/sessions/${session}`, { headers: { authorization: `Bearer ${sourceToken}` } })
      ).json()) as { memories: { kind: string }[] };
      if (record.memories.some((memory) => memory.kind === "summary")) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const exporting = ok(await cairn(home, ["export", "--format", "jsonl", "--json"]));
    const exported = exporting.stdout;
    const rows = exported
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string });
    // Containers first (sessions and threads), then their rows, then the session's end.
    expect(
      rows
        .slice(0, 2)
        .map((row) => row.type)
        .sort(),
    ).toEqual(["session", "thread"]);
    expect(
      rows
        .slice(2, -1)
        .map((row) => row.type)
        .sort(),
    ).toEqual(["entry", "entry", "memory", "memory", "task", "task"]);
    expect(rows.at(-1)?.type).toBe("session.end");
    // The summary goes to stderr (stdout is the data); piped, no progress line is drawn.
    expect(JSON.parse(exporting.stderr)).toMatchObject({
      format: "jsonl",
      lines: rows.length,
      bytes: Buffer.byteLength(exported),
    });
    const file = join(home, "atlas.jsonl");
    writeFileSync(file, exported);

    ok(await cairn(home, ["login", "--server", second.url, "--token", targetToken]));
    const imported = ok(await cairn(home, ["import", file, "--json"])).json<{
      rows: number;
      new: number;
      unchanged: number;
    }>();
    expect(imported).toMatchObject({ rows: rows.length, new: rows.length, unchanged: 0 });
    const before = await digest(first, sourceToken);
    const after = await digest(second, targetToken);
    expect(after).toEqual(before);
    // Same ids on the new server.
    const memories = (await (
      await fetch(`${second.url}/api/memories?project=atlas`, { headers: { authorization: `Bearer ${targetToken}` } })
    ).json()) as { memories: { id: string; content: string }[] };
    const exportedMemories = rows.filter((row) => row.type === "memory") as unknown as { memory: { id: string } }[];
    expect(memories.memories.map((memory) => memory.id).sort()).toEqual(
      exportedMemories.map((row) => row.memory.id).sort(),
    );
    expect(memories.memories.map((memory) => memory.content)).toContain(tricky);
    // Importing again changes nothing, and says so; the new server's own jobs add no second summary either.
    const again = ok(await cairn(home, ["import", file]));
    expect(again.stdout).toContain(`imported ${rows.length} rows: 0 new, ${rows.length} unchanged`);
    expect(again.stderr).toBe("");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await digest(second, targetToken)).toEqual(before);
    // A project filter narrows the export (the personal task comes along).
    ok(await cairn(home, ["login", "--server", first.url, "--token", sourceToken]));
    const other = ok(await cairn(home, ["export", "--project", "nowhere"]))
      .stdout.trim()
      .split("\n")
      .filter(Boolean);
    expect(other.map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(["task"]);
  });

  it("writes a Cypher script of parameterised MERGEs whose strings survive quotes, backslashes and line breaks", async () => {
    ok(await cairn(home, ["login", "--server", first.url, "--token", sourceToken]));
    const script = ok(await cairn(home, ["export", "--format", "cypher"])).stdout;
    const lines = script.trimEnd().split("\n");
    const constraints = lines.filter((line) => line.startsWith("CREATE CONSTRAINT"));
    expect(constraints).toHaveLength(6);
    const params: Record<string, unknown>[] = [];
    const statements: string[] = [];
    let current: string[] = [];
    for (const line of lines) {
      if (line.startsWith("//") || line.startsWith("CREATE CONSTRAINT")) continue;
      if (line.startsWith(":param row => ")) {
        expect(current).toEqual([]);
        params.push(parseCypherMap(line.slice(":param row => ".length)));
        continue;
      }
      expect(line).toMatch(/^(MERGE|SET) /);
      current.push(line);
      if (line.endsWith(";")) {
        statements.push(current.join("\n"));
        current = [];
      }
    }
    expect(current).toEqual([]);
    expect(statements).toHaveLength(params.length);
    // Every value comes from $row: nothing of the data is spliced into a statement.
    for (const statement of statements) expect(statement).not.toMatch(/'/);
    const contents = params.map((row) => row.content).filter((content) => typeof content === "string");
    expect(contents.filter((content) => content === tricky)).toHaveLength(2);
    const graph = statements.join("\n");
    for (const part of [
      ":Project",
      ":Session",
      ":Thread",
      ":Entry",
      ":Memory",
      ":Task",
      "[:IN_PROJECT]",
      "[:IN_SESSION]",
      "[:IN_THREAD]",
    ]) {
      expect(graph).toContain(part);
    }
    const memory = params.find((row) => row.content === tricky && Array.isArray(row.tags));
    expect(memory?.tags).toEqual(["ops", "release"]);
  });
});
