import { limits } from "./limits";

/**
 * Turns a free name ("My Project", "feature/Parser-fix") into the slug used as a
 * project or thread id: lower-case letters, digits, `.`, `_` and `-`.
 * Returns "" when nothing usable is left, so callers can fall back.
 */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, limits.slugLength)
    .replace(/[-.]+$/g, "");
}

/** The pattern every slug satisfies; used by the schemas. */
export const slugPattern = /^[a-z0-9_][a-z0-9._-]{0,63}$/;
