/** One string for (project, thread): the key of caches and change rows. */
export function threadKey(projectId: string, threadId: string): string {
  return `${projectId}/${threadId}`;
}
