/**
 * The reference a citation or a permalink gives an entry: its thread and its whole id, so it
 * names one row (SPEC section 4). Releases before this one cut the id to its first 10
 * characters (the ULID's millisecond); resolveRef still takes those where they are unambiguous.
 * Apart from operations/citation-ref.ts (which parses with zod) so the web UI can format them.
 */
export function entryRef(threadId: string, entryId: string): string {
  return `thread:${threadId}#${entryId}`;
}

/** The reference of a memory. */
export function memoryRef(memoryId: string): string {
  return `memory:${memoryId}`;
}
