import { writeSync } from "node:fs";

/**
 * Writes all of `text` to a file descriptor, synchronously. The CLI writes
 * its output this way instead of through process.stdout: creating the stdout
 * stream loads Node's stream machinery, about 5 ms of every start (measured).
 * A non-blocking pipe may refuse a write for a moment (EAGAIN): retry it.
 */
export function writeFd(fd: number, text: string): void {
  let buffer = Buffer.from(text, "utf8");
  while (buffer.length > 0) {
    try {
      const written = writeSync(fd, buffer);
      buffer = buffer.subarray(written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
    }
  }
}
