import type { Change } from "../store/store-types";
import { cypherOf } from "../synced/synced-types";
import type { ExportRow } from "./export-rows";

/**
 * The Cypher export: a script for `cypher-shell -f` that builds a graph of
 * Project, Session, Thread, Entry, Memory and Task nodes with IN_PROJECT,
 * IN_SESSION and IN_THREAD relationships. Each row is one `:param row => {…}`
 * (every value a literal, every string escaped) and one statement of MERGEs
 * that reads only `$row`, so loading twice changes nothing.
 */
export function cypherPreamble(): string[] {
  return [
    "// Cairn export for Neo4j. Load with: cypher-shell -a neo4j://localhost:7687 -u neo4j -p <password> -f <file>",
    ...["Project", "Session", "Thread", "Entry", "Memory", "Task"].map(
      (label) =>
        `CREATE CONSTRAINT cairn_${label.toLowerCase()}_key IF NOT EXISTS FOR (n:${label}) REQUIRE n.key IS UNIQUE;`,
    ),
  ];
}

/** The lines of one row: its parameter, then its statement (each synced type writes its own: core/synced). */
export function cypherRow(row: ExportRow): string[] {
  if (row.type === "session.end") return []; // The session row already carries its end.
  return cypherOf({ seq: 0, ...row } as Change);
}

export { cypherMap, cypherString } from "./cypher-statement";
