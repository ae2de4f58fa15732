import { AppError } from "../app-error";
import type { Thread } from "../entities";
import type { ThreadReads } from "../store/store-roles";

/**
 * Finds a thread by id. With `project` it must be there. Without one the id
 * must be unambiguous, except that `preferredProject` (the CLI's detected
 * project) wins when it holds the thread; two projects otherwise get a 409
 * listing them.
 */
export async function resolveThread(
  store: ThreadReads,
  target: { thread: string; project?: string | undefined; preferredProject?: string | undefined },
): Promise<Thread> {
  const found = await store.findThreads(target.thread, target.project);
  const preferred = target.preferredProject
    ? found.find((thread) => thread.projectId === target.preferredProject)
    : undefined;
  if (preferred) return preferred;
  const [first, second] = found;
  if (!first) {
    const where = target.project ? ` in project "${target.project}"` : "";
    throw new AppError("not_found", `No thread "${target.thread}"${where}`);
  }
  if (second) {
    throw new AppError("conflict", `Thread "${target.thread}" exists in several projects; name one`, {
      details: { projects: found.map((thread) => thread.projectId) },
    });
  }
  return first;
}
