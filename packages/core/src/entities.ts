import * as z from "zod";
import { limits } from "./limits";
import { slugPattern } from "./slug";

/** Client-generated ids: ULIDs or UUIDv7, or any url-safe id up to 64 chars. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 url-safe characters");
export const slugSchema = z.string().regex(slugPattern, "must be a slug: a-z, 0-9, '.', '_', '-' (max 64)");
/** Years PostgreSQL's timestamptz and JavaScript both take (year 0 is refused by PostgreSQL). */
function inStoredYears(time: string): boolean {
  const at = Date.parse(time);
  if (!Number.isFinite(at)) return false;
  const year = new Date(at).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** An ISO time with its offset, in a year every store can hold (1 to 9999, UTC). */
export const isoTimeSchema = z.iso
  .datetime({ offset: true })
  .refine(inStoredYears, "must be a time between the years 1 and 9999");

/**
 * No text Cairn stores may hold a NUL character (U+0000): PostgreSQL's text cannot, so no
 * store takes one (one rule for both databases, checked wherever text comes in, so a write
 * accepted by a local store can never fail on the server for it).
 */
export function hasNoNul(text: string): boolean {
  return !text.includes("\u0000");
}
export const noNulMessage = "must not contain a NUL character (\\u0000)";

/** Text that is stored: any string without a NUL character. */
export function plainText() {
  return z.string().refine(hasNoNul, noNulMessage);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** The UTF-8 size of a string, without encoding it (this runs once per entry on the ingest path). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(index + 1))) {
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** Entry text: verbatim, never empty, at most 100,000 UTF-8 bytes. */
export const entryContentSchema = plainText()
  .refine((text) => /\S/.test(text), "must not be empty")
  .refine((text) => utf8Length(text) <= limits.entryContentBytes, `must be at most ${limits.entryContentBytes} bytes`);

export const threadStatusSchema = z.enum(["active", "archived"]);

export const threadSchema = z.object({
  id: slugSchema,
  projectId: slugSchema,
  name: z.string(),
  status: threadStatusSchema,
  createdAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
  deletedAt: isoTimeSchema.nullable(),
});
export type Thread = z.infer<typeof threadSchema>;

export const entrySchema = z.object({
  id: idSchema,
  threadId: slugSchema,
  projectId: slugSchema,
  sessionId: idSchema.nullable(),
  author: z.string().max(200),
  content: z.string(),
  createdAt: isoTimeSchema,
  /** Set while the entry is in the trash (soft delete). */
  deletedAt: isoTimeSchema.nullable().default(null),
});
export type Entry = z.infer<typeof entrySchema>;

// Memories and sessions live in memory-entities.ts: their schemas load only where they are used.
export type { Memory, MemoryKind, Session } from "./memory-entities";

export interface User {
  id: string;
  name: string;
  createdAt: string;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

/** A search hit as every surface returns it (SPEC section 4). */
export interface SearchHit {
  type: "entry";
  /** The content, when the query asked `withText`. */
  text?: string | undefined;
  id: string;
  threadId: string;
  snippet: string;
  score: number;
  project: string;
  session: string | null;
  author: string;
  createdAt: string;
}
