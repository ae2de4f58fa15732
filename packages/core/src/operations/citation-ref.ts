import * as z from "zod";
import { AppError } from "../app-error";
import { entryRef, memoryRef } from "../citation-format";
import type { Entry, Memory } from "../entities";
import type { EntryReads, MemoryReads } from "../store/store-roles";

export { entryRef, memoryRef };

/** `GET /api/refs?ref=…`: what a citation or permalink names. */
export const refInput = z.object({ ref: z.string().min(1).max(200) });

export type ParsedRef = { type: "entry"; thread: string; id: string } | { type: "memory"; id: string };

const entryRefPattern = /^thread:([a-z0-9][a-z0-9._-]{0,63})#([A-Za-z0-9_-]{1,64})$/;
const memoryRefPattern = /^memory:([A-Za-z0-9_-]{1,64})$/;

/** Reads a reference, or null when it is not one. */
export function parseRef(text: string): ParsedRef | null {
  const trimmed = text.trim();
  const entry = entryRefPattern.exec(trimmed);
  if (entry) return { type: "entry", thread: entry[1] as string, id: entry[2] as string };
  const memory = memoryRefPattern.exec(trimmed);
  if (memory) return { type: "memory", id: memory[1] as string };
  return null;
}

export type ResolvedRef =
  | { type: "entry"; ref: string; entry: Entry }
  | { type: "memory"; ref: string; memory: Memory };

/**
 * The one live row a reference names. An entry reference whose id is not a whole id of that
 * thread is taken as the old short form: it resolves when exactly one live entry of that thread
 * starts with it; several answer `conflict` (ambiguous), none `not_found`.
 */
export async function resolveRef(store: EntryReads & MemoryReads, text: string): Promise<ResolvedRef> {
  const parsed = parseRef(text);
  if (!parsed) {
    throw new AppError("bad_request", `Not a reference: ${JSON.stringify(text.slice(0, 80))}`, {
      hint: "A reference looks like thread:<thread>#<entry id> or memory:<id>, as the oracle's citations give them.",
    });
  }
  if (parsed.type === "memory") {
    const memory = await store.getMemory(parsed.id);
    if (!memory || memory.deletedAt !== null) throw new AppError("not_found", `No memory ${parsed.id}`);
    return { type: "memory", ref: memoryRef(memory.id), memory };
  }
  const exact = await store.getEntry(parsed.id);
  if (exact && exact.deletedAt === null && exact.threadId === parsed.thread) {
    return { type: "entry", ref: entryRef(exact.threadId, exact.id), entry: exact };
  }
  // Not a whole id of that thread: the old short form (the id's first 10 characters), if it names one entry.
  const matches = await store.entriesByIdPrefix(parsed.thread, parsed.id, 2);
  const [only] = matches;
  if (!only) throw new AppError("not_found", `No entry starting ${parsed.id} in thread ${parsed.thread}`);
  if (matches.length > 1) {
    throw new AppError("conflict", `Several entries of thread ${parsed.thread} start with ${parsed.id}`, {
      hint: "Short references are ambiguous for entries written in the same millisecond: use the whole entry id.",
    });
  }
  return { type: "entry", ref: entryRef(only.threadId, only.id), entry: only };
}
