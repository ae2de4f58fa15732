import type { Memory, Session } from "../entities";
import type { MemoryWriteDeps } from "../operations/memories";
import { remember } from "../operations/memories";
import { searchTerms } from "../search-terms";
import type { EntryReads, MemoryReads, SessionReads } from "../store/store-roles";

/** Rows of a session read for its summary (the earliest ones: a session's purpose is set at its start). */
const summaryRows = 200;

/** A summary's length: two or three sentences, each cut at a readable length. */
const sentenceChars = 280;

/**
 * The built-in summary of a session's text: the two or three sentences that
 * share the most words with the rest of the session (its recurring topic),
 * in the order they were written. No model, so the same session always gets
 * the same summary.
 */
export function extractiveSummary(texts: string[]): string {
  const sentences = texts
    .flatMap((text) => text.split(/(?<=[.!?])\s+|\n+/))
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.length >= 12);
  if (sentences.length === 0) return "";
  const frequency = new Map<string, number>();
  for (const sentence of sentences) {
    for (const word of new Set(searchTerms(sentence))) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  }
  const scored = sentences.map((sentence, order) => {
    const words = [...new Set(searchTerms(sentence))].filter((word) => word.length > 3);
    const score = words.reduce((sum, word) => sum + (frequency.get(word) ?? 0) - 1, 0) / Math.sqrt(words.length || 1);
    return { sentence, order, score };
  });
  const count = sentences.length >= 3 ? 3 : sentences.length;
  const chosen = [...scored]
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .filter((each, index, all) => all.findIndex((other) => other.sentence === each.sentence) === index)
    .slice(0, count)
    .sort((a, b) => a.order - b.order);
  return chosen
    .map(({ sentence }) => {
      const cut = sentence.length > sentenceChars ? `${sentence.slice(0, sentenceChars - 1).trimEnd()}…` : sentence;
      return /[.!?…]$/.test(cut) ? cut : `${cut}.`;
    })
    .join(" ");
}

export interface SessionSummaryResult {
  session: Session;
  memory: Memory | null;
  /** False when the summary memory existed already (the job ran before). */
  created: boolean;
}

/**
 * Writes the summary memory (kind `summary`) of an ended session, once: the
 * summary given when it was ended, else the model's (`generate`), else the
 * extractive one. Nothing to summarise (no text) writes nothing.
 */
export async function summarizeSession(
  deps: MemoryWriteDeps & { store: SessionReads & MemoryReads & EntryReads },
  sessionId: string,
  generate: ((texts: string[]) => Promise<string>) | null,
): Promise<SessionSummaryResult | null> {
  const session = await deps.store.getSession(sessionId);
  if (!session || session.endedAt === null) return null;
  const existing = await deps.store.listMemories({ sessionId, kind: "summary", limit: 1, offset: 0 });
  if (existing.memories[0]) return { session, memory: existing.memories[0], created: false };
  const entries = await deps.store.sessionEntries(sessionId, summaryRows);
  const memories = await deps.store.listMemories({ sessionId, limit: summaryRows, offset: 0 });
  // In the order they were written, whichever kind: a summary reads as the session went.
  const texts = [
    ...entries.map((entry) => ({ at: entry.createdAt, text: entry.content })),
    ...memories.memories.map((memory) => ({ at: memory.createdAt, text: memory.content })),
  ]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((row) => row.text);
  let content = session.summary?.trim() ?? "";
  if (!content && texts.length > 0 && generate) content = (await generate(texts)).trim();
  if (!content) content = extractiveSummary(texts);
  if (!content) return { session, memory: null, created: false };
  const memory = await remember(deps, {
    project: session.projectId,
    content: content.slice(0, 2_000),
    kind: "summary",
    sessionId,
  });
  return { session, memory, created: true };
}
