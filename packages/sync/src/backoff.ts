/**
 * Exponential backoff with full jitter (SPEC section 3): a random delay in
 * [0, min(cap, base * 2^failures)). `random` is injectable for tests.
 */
export function backoffDelay(
  failures: number,
  options: { baseMs?: number; capMs?: number; random?: () => number } = {},
): number {
  const base = options.baseMs ?? 500;
  const cap = options.capMs ?? 300_000;
  const ceiling = Math.min(cap, base * 2 ** Math.min(failures, 30));
  return Math.floor((options.random ?? Math.random)() * ceiling);
}
