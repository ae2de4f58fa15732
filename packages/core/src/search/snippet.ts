import { couldStemTo, stemOf } from "./text-stems";

/**
 * A snippet of `text` around its densest run of the wanted stems, each matched word in
 * `<mark>…</mark>`, about `width` words long, with "…" where it was cut. The text is shown as
 * written; only the marks are added.
 */
export function snippetOf(text: string, stems: string[], width = 24): string {
  const wanted = new Set(stems);
  const could = couldStemTo(wanted);
  const tokens = [...text.matchAll(/[\p{L}\p{N}_]+(?:'[\p{L}]+)?/gu)].map((match) => {
    const word = match[0].toLowerCase().replace(/'s$/, "");
    return {
      start: match.index ?? 0,
      end: (match.index ?? 0) + match[0].length,
      hit: could(word) && wanted.has(stemOf(word)),
    };
  });
  if (tokens.length === 0) return text.slice(0, 300);
  // The window of `width` words holding the most matches (the first such window).
  let best = 0;
  let bestCount = -1;
  let count = 0;
  for (let index = 0; index < tokens.length; index++) {
    if (tokens[index]?.hit) count += 1;
    if (index >= width && tokens[index - width]?.hit) count -= 1;
    const start = Math.max(0, index - width + 1);
    if (count > bestCount) {
      bestCount = count;
      best = start;
    }
  }
  const first = tokens[best];
  const last = tokens[Math.min(tokens.length - 1, best + width - 1)];
  if (!first || !last) return text.slice(0, 300);
  const from = best === 0 ? 0 : first.start;
  const to = last === tokens[tokens.length - 1] ? text.length : last.end;
  let out = "";
  let cursor = from;
  for (const token of tokens) {
    if (token.start < from || token.end > to || !token.hit) continue;
    out += `${text.slice(cursor, token.start)}<mark>${text.slice(token.start, token.end)}</mark>`;
    cursor = token.end;
  }
  out += text.slice(cursor, to);
  return `${from > 0 ? "…" : ""}${out.trim()}${to < text.length ? "…" : ""}`;
}
