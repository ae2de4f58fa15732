import type { CliContext } from "./cli-context";

const width = 24;

/** "12.3 s", "4 min 05 s": a duration for a progress line. */
function duration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

/**
 * A progress bar for long work (recover, import, export): the share done when the total is
 * known, the count, the rate and the time left, redrawn in place at most ten times a second.
 * It writes through `context.progress`, which draws on a terminal's stderr and does nothing
 * when stderr is piped, so scripts see only the result.
 */
export function progressBar(context: Pick<CliContext, "progress">, label: string, unit: string) {
  const started = performance.now();
  let drawnAt = 0;
  const format = (count: number) => Math.round(count).toLocaleString("en");
  return {
    /** `done` of `total` `unit`s (total null: not known; an estimate is shown as "about"). */
    update(done: number, total: number | null, options: { estimated?: boolean } = {}): void {
      const now = performance.now();
      if (now - drawnAt < 100 && (total === null || done < total)) return;
      drawnAt = now;
      const elapsed = now - started;
      const rate = elapsed > 0 ? (done * 1000) / elapsed : 0;
      const of = total === null ? "" : `/${options.estimated ? "about " : ""}${format(Math.max(total, done))}`;
      const parts = [`${label} ${format(done)}${of} ${unit}`];
      if (total !== null && total > 0) {
        const share = Math.min(1, done / total);
        const filled = Math.round(share * width);
        parts.unshift(
          `${"█".repeat(filled)}${"░".repeat(width - filled)} ${String(Math.floor(share * 100)).padStart(3)}%`,
        );
        if (share > 0 && share < 1) parts.push(`${duration((elapsed / share) * (1 - share))} left`);
      }
      parts.push(`${format(rate)} ${unit}/s`);
      context.progress(parts.join("  "));
    },
    /** Clears the line; returns how long the work took, in ms. */
    finish(): number {
      context.progress(null);
      return Math.round(performance.now() - started);
    },
  };
}
