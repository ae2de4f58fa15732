import { nextVersion } from "./hlc";
import { createIdGenerator } from "./ids";

/**
 * The server's hybrid logical clock for memories edited over REST. The node
 * part is unique per process, so two server processes never mint the same
 * version; versions from clients still order against it by time.
 */
export function serverClock(now: () => Date): () => string {
  const node = `server-${createIdGenerator()().slice(-10)}`;
  let last: string | null = null;
  return () => {
    last = nextVersion(last, now().getTime(), node);
    return last;
  };
}
