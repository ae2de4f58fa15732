import { cpus, freemem, platform, release, totalmem } from "node:os";

/** One line saying what the figures were measured on. */
export function describeMachine(): string {
  const cores = cpus();
  return [
    `${cores.length} × ${cores[0]?.model.trim() ?? "unknown CPU"}`,
    `${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM (${(freemem() / 2 ** 30).toFixed(1)} free)`,
    `${platform()} ${release()}`,
    `Node ${process.version}`,
  ].join(", ");
}
