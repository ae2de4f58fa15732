import { memoryForOutside } from "../memory-entities";
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

/** The lines of one row: its parameter, then its statement. */
export function cypherRow(row: ExportRow): string[] {
  switch (row.type) {
    case "session.end":
      return []; // The session row already carries its end.
    case "session": {
      const { session } = row;
      return statement(
        {
          key: session.id,
          project: session.projectId,
          agent: session.agent,
          startedAt: session.startedAt,
          endedAt: session.endedAt,
          summary: session.summary,
        },
        [
          mergeProject,
          "MERGE (s:Session {key: $row.key}) SET s.id = $row.key, s.agent = $row.agent, s.startedAt = $row.startedAt, s.endedAt = $row.endedAt, s.summary = $row.summary",
          "MERGE (s)-[:IN_PROJECT]->(p)",
        ],
      );
    }
    case "thread": {
      const { thread } = row;
      return statement(
        {
          key: `${thread.projectId}/${thread.id}`,
          id: thread.id,
          project: thread.projectId,
          name: thread.name,
          status: thread.status,
          createdAt: thread.createdAt,
        },
        [
          mergeProject,
          "MERGE (t:Thread {key: $row.key}) SET t.id = $row.id, t.name = $row.name, t.status = $row.status, t.createdAt = $row.createdAt",
          "MERGE (t)-[:IN_PROJECT]->(p)",
        ],
      );
    }
    case "entry": {
      const { entry } = row;
      return statement(
        {
          key: entry.id,
          thread: `${entry.projectId}/${entry.threadId}`,
          threadId: entry.threadId,
          project: entry.projectId,
          session: entry.sessionId,
          author: entry.author,
          content: entry.content,
          createdAt: entry.createdAt,
        },
        [
          mergeProject,
          "MERGE (t:Thread {key: $row.thread}) SET t.id = $row.threadId",
          "MERGE (t)-[:IN_PROJECT]->(p)",
          "MERGE (e:Entry {key: $row.key}) SET e.id = $row.key, e.author = $row.author, e.content = $row.content, e.createdAt = $row.createdAt",
          "MERGE (e)-[:IN_THREAD]->(t)",
          ...inSession("e", entry.sessionId),
        ],
      );
    }
    case "memory": {
      const { memory } = row;
      return statement({ key: memory.id, ...memoryForOutside(memory) }, [
        mergeProject,
        "MERGE (m:Memory {key: $row.key}) SET m.id = $row.key, m.kind = $row.kind, m.content = $row.content, m.tags = $row.tags, m.createdAt = $row.createdAt, m.updatedAt = $row.updatedAt",
        "MERGE (m)-[:IN_PROJECT]->(p)",
        ...inSession("m", memory.sessionId),
      ]);
    }
    case "task": {
      const { task } = row;
      return statement(
        {
          key: task.id,
          project: task.projectId,
          title: task.title,
          description: task.description,
          status: task.status,
          priority: task.priority,
          dueAt: task.dueAt,
          completedAt: task.completedAt,
          createdAt: task.createdAt,
          updatedAt: task.updatedAt,
        },
        [
          "MERGE (k:Task {key: $row.key}) SET k.id = $row.key, k.title = $row.title, k.description = $row.description, k.status = $row.status, k.priority = $row.priority, k.dueAt = $row.dueAt, k.completedAt = $row.completedAt, k.createdAt = $row.createdAt, k.updatedAt = $row.updatedAt",
          // A personal task (no project) has no IN_PROJECT.
          ...(task.projectId === null ? [] : [mergeProject, "MERGE (k)-[:IN_PROJECT]->(p)"]),
        ],
      );
    }
  }
}

/** The row's project node (created on first use). */
const mergeProject = "MERGE (p:Project {key: $row.project}) SET p.id = $row.project";

/** `node` IN_SESSION its session, when it has one. */
function inSession(node: string, sessionId: string | null): string[] {
  if (sessionId === null) return [];
  return ["MERGE (s:Session {key: $row.session}) SET s.id = $row.session", `MERGE (${node})-[:IN_SESSION]->(s)`];
}

type Value = string | number | boolean | null | Value[];

function statement(row: Record<string, Value>, clauses: string[]): string[] {
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
