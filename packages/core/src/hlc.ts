/**
 * Hybrid logical clock versions for mutable rows (memories, later tasks):
 * "<13-digit wall ms>.<4-digit counter>.<node>". They sort as text in
 * causal order: a version is always above every version its writer had
 * seen, and two writers that saw nothing of each other are ordered by time,
 * then counter, then node (deterministic: both sides pick the same winner).
 */
export function nextVersion(previous: string | null, nowMs: number, node: string): string {
  const last = previous === null ? null : parseVersion(previous);
  let ms = Math.max(0, Math.floor(nowMs));
  let counter = 0;
  if (last && last.ms >= ms) {
    ms = last.ms;
    counter = last.counter + 1;
    if (counter > 9999) {
      ms += 1;
      counter = 0;
    }
  }
  return `${String(ms).padStart(13, "0")}.${String(counter).padStart(4, "0")}.${node}`;
}

export function parseVersion(version: string): { ms: number; counter: number; node: string } | null {
  const match = /^(\d{13})\.(\d{4})\.(.+)$/.exec(version);
  if (!match) return null;
  return { ms: Number(match[1]), counter: Number(match[2]), node: match[3] ?? "" };
}

/**
 * A freshly minted version made to sort above `seen`, the version the write was made from: a clock
 * behind a version it reads (another device's clock ran ahead) would otherwise write an edit that
 * loses to the very row it edits. Same node; the counter moves on past `seen`.
 */
export function versionAfter(minted: string, seen: string): string {
  if (minted > seen) return minted;
  return nextVersion(seen, 0, parseVersion(minted)?.node ?? "unknown");
}

/** The later of two versions (null-safe). */
export function laterVersion(left: string | null, right: string | null): string | null {
  if (left === null) return right;
  if (right === null) return left;
  return left >= right ? left : right;
}
