import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median } from "./corpus";

/** Spawn `cairn mcp`, initialize, call list_tasks; the time until its result arrives. */
function firstToolResult(cairnBin: string, env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, [cairnBin, "mcp"], { env, cwd, stdio: ["pipe", "pipe", "pipe"] });
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    let buffer = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf("\n"); end !== -1; end = buffer.indexOf("\n")) {
        const message = JSON.parse(buffer.slice(0, end)) as { id?: number; error?: unknown };
        buffer = buffer.slice(end + 1);
        if (message.id === 1) {
          send({ jsonrpc: "2.0", method: "notifications/initialized" });
          send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "list_tasks", arguments: {} } });
        } else if (message.id === 2) {
          const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
          child.stdin.end();
          child.once("exit", () =>
            message.error ? reject(new Error(JSON.stringify(message.error))) : resolve(elapsed),
          );
        }
      }
    });
    child.once("error", reject);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
    });
  });
}

/** (i) `cairn mcp` from spawn to the first tool result, against `node -e 0`, both without NODE_EXTRA_CA_CERTS. */
export async function mcpStartup(cairnBin: string, runs = 10): Promise<{ mcpMs: number; nodeMs: number }> {
  const home = mkdtempSync(join(tmpdir(), "cairn-bench-mcp-"));
  const env: NodeJS.ProcessEnv = { ...process.env, CAIRN_HOME: home };
  delete env.NODE_EXTRA_CA_CERTS;
  try {
    await firstToolResult(cairnBin, env, home); // creates the local store
    const mcp: number[] = [];
    const node: number[] = [];
    for (let index = 0; index < runs; index++) {
      mcp.push(await firstToolResult(cairnBin, env, home));
      const started = process.hrtime.bigint();
      spawnSync(process.execPath, ["-e", "0"], { env });
      node.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    return { mcpMs: median(mcp), nodeMs: median(node) };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
