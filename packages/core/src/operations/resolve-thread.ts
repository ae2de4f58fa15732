import { AppError } from "../app-error";
import type { Thread } from "../entities";
import type { StoreReader } from "../store-port";

/**
 * Finds a thread by id, in `projectId` when given. Without a project the id
 * must be unambiguous: two projects with the same thread id get a 409 listing them.
 */
export async function resolveThread(
  store: StoreReader,
  userId: string,
  target: { thread: string; project?: string | undefined },
): Promise<Thread> {
  const found = await store.findThreads(userId, target.thread, target.project);
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
