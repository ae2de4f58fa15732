import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ServerProcess {
  url: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `cairn serve` as users run it, in its own process, on a free port. */
export async function startServerProcess(options: {
  cairnBin: string;
  dataDir: string;
  env?: Record<string, string>;
}): Promise<ServerProcess> {
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the servers a benchmark starts.
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(
    process.execPath,
    [...nodeArgs, options.cairnBin, "serve", "--json", "--port", "0", "--data", options.dataDir, "--log-level", "warn"],
    {
      stdio: ["ignore", "pipe", "inherit"],
      // The benchmarks push far more than a user would: lift the per-user limits (they measure throughput).
      env: {
        ...process.env,
        CAIRN_WRITES_PER_MINUTE: "1000000000",
        CAIRN_READS_PER_MINUTE: "1000000000",
        ...options.env,
      },
    },
  );
  const banner = await new Promise<{ url: string; adminToken: string }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on("line", (line) => {
      try {
        const parsed = JSON.parse(line) as { ready?: boolean; url: string; adminToken: string };
        if (parsed.ready) resolve(parsed);
      } catch {
        // a log line
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return {
    url: banner.url,
    token: banner.adminToken,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
