import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";

/**
 * One `cairn …` command in its own process, as a user runs it: wall time,
 * its JSON output, and its peak resident memory (VmHWM, polled from /proc).
 * BENCH_CPU_PROF=DIR writes a V8 CPU profile of the process there.
 */
export async function timedCli<T>(
  cairnBin: string,
  home: string,
  args: string[],
): Promise<{ seconds: number; peakRssMb: number; result: T }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CAIRN_HOME: home };
  delete env.NODE_EXTRA_CA_CERTS;
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...profile, cairnBin, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += String(chunk);
  });
  child.stderr.on("data", (chunk) => {
    stderr += String(chunk);
  });
  let peakKb = 0;
  const poll = setInterval(() => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // exited between two polls
    }
  }, 10);
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  clearInterval(poll);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`cairn ${args.join(" ")} exited ${code}: ${stderr}`);
  return { seconds, peakRssMb: peakKb / 1024, result: JSON.parse(stdout) as T };
}
