/** The pieces of the Cypher export (see cypher.ts): literals escaped, and the clauses every row shares. */

/** The row's project node (created on first use). */
export const mergeProject = "MERGE (p:Project {key: $row.project}) SET p.id = $row.project";

/** `node` IN_SESSION its session, when it has one. */
export function inSession(node: string, sessionId: string | null): string[] {
  if (sessionId === null) return [];
  return ["MERGE (s:Session {key: $row.session}) SET s.id = $row.session", `MERGE (${node})-[:IN_SESSION]->(s)`];
}

export type Value = string | number | boolean | null | Value[];

export function statement(row: Record<string, Value>, clauses: string[]): string[] {
  return [`:param row => ${cypherMap(row)}`, `${clauses.join("\n")};`];
}

/** A Cypher map literal; keys are our own identifiers, values literals. */
export function cypherMap(row: Record<string, Value>): string {
  return `{${Object.entries(row)
    .map(([key, value]) => `${key}: ${cypherValue(value)}`)
    .join(", ")}}`;
}

function cypherValue(value: Value): string {
  if (value === null) return "null";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(cypherValue).join(", ")}]`;
  return cypherString(value);
}

/**
 * A single-quoted Cypher string: backslash and quote escaped, line breaks and
 * every other control character written as escapes, so a row is one line
 * whatever its text holds.
 */
export function cypherString(text: string): string {
  let out = "'";
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (char === "\\") out += "\\\\";
    else if (char === "'") out += "\\'";
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, "0")}`;
    } else out += char;
  }
  return `${out}'`;
}
