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

/** FNV-1a over UTF-16 code units: a small, stable, dependency-free string hash. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The id for a name a person typed or a folder is called: its slug, or, when
 * no ASCII letter or digit survives ("東京", "🚀"), a stable `n-<hash>` so two
 * such names never share an id. Blank names give "".
 */
export function nameToId(name: string): string {
  const slug = slugify(name);
  if (slug !== "" || name.trim() === "") return slug;
  return `n-${fnv1a(name.trim()).toString(36)}`;
}
