/**
 * Serialises async critical sections. One SQLite connection serves every
 * request of a server process, so two transactions must never interleave on it.
 */
export class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `work` after every earlier holder has finished. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release: () => void = () => {};
    this.tail = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    try {
      return await work();
    } finally {
      release();
    }
  }
}
