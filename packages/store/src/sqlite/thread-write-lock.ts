/**
 * SQLite's write lock, taken first in shared memory by the threads of one
 * process that each hold a connection to the same file (the server's request
 * thread and its delivery thread). Without it, a writer that finds the file
 * locked sleeps in SQLite's busy handler, 1 ms at the least and longer on
 * each retry, blocking its whole event loop; here it waits without blocking
 * (`Atomics.waitAsync`) and wakes as soon as the holder commits. Other
 * processes on the file still meet the busy handler.
 *
 * The first cell holds the holder's id (0 when free), so a thread that died
 * holding it can be cleared by the thread that started it (`releaseIfHeldBy`).
 * The second counts waiting `first` holders (the request thread): the others
 * let them go ahead, or a background thread that commits again at once would
 * win every race for the lock it just released (it needs no turn of its event
 * loop to see it free; the waiter does).
 */
/** Cell indexes: the holder's id, and how many `first` holders wait. */
const held = 0;
const waitingFirst = 1;

export class ThreadWriteLock {
  private readonly cell: Int32Array;

  /**
   * `buffer` is shared by every connection of the process (`ThreadWriteLock.buffer()` makes one);
   * `holder` is this connection's id in it, positive and unique among them.
   */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly holder: number,
    private readonly first = false,
  ) {
    if (!Number.isInteger(holder) || holder <= 0) throw new Error("a write lock holder id is a positive integer");
    this.cell = new Int32Array(buffer);
  }

  static buffer(): SharedArrayBuffer {
    return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
  }

  /** Frees the lock if `holder` still has it (that thread ended mid-transaction), waking a waiter. */
  static releaseIfHeldBy(buffer: SharedArrayBuffer, holder: number): void {
    const cell = new Int32Array(buffer);
    if (Atomics.compareExchange(cell, held, holder, 0) === holder) Atomics.notify(cell, held);
  }

  /** Resolves once this connection holds the lock. */
  async acquire(): Promise<void> {
    if (this.first) {
      Atomics.add(this.cell, waitingFirst, 1);
      try {
        await this.take();
      } finally {
        Atomics.sub(this.cell, waitingFirst, 1);
        Atomics.notify(this.cell, waitingFirst);
      }
      return;
    }
    for (;;) {
      // Behind every waiting `first` holder, then a race for the free lock.
      const ahead = Atomics.load(this.cell, waitingFirst);
      if (ahead > 0) {
        const wait = Atomics.waitAsync(this.cell, waitingFirst, ahead);
        if (wait.async) await wait.value;
        continue;
      }
      if (Atomics.compareExchange(this.cell, held, 0, this.holder) === 0) return;
      await this.untilReleased();
    }
  }

  private async take(): Promise<void> {
    while (Atomics.compareExchange(this.cell, held, 0, this.holder) !== 0) await this.untilReleased();
  }

  private async untilReleased(): Promise<void> {
    const current = Atomics.load(this.cell, held);
    if (current === 0) return;
    const wait = Atomics.waitAsync(this.cell, held, current);
    if (wait.async) await wait.value;
  }

  release(): void {
    if (Atomics.compareExchange(this.cell, held, this.holder, 0) === this.holder) Atomics.notify(this.cell, held);
  }
}
