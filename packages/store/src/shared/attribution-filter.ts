/** The SQL of the attribution filters every list and search takes (project, session, since, until). */

/** The WHERE clause of the attribution filters every list and search takes. */
export function attributionFilter(
  query: {
    projectId?: string | undefined;
    sessionId?: string | undefined;
    since?: string | undefined;
    until?: string | undefined;
  },
  timeColumn: string,
): { sql: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (query.projectId !== undefined) {
    clauses.push("project_id = ?");
    params.push(query.projectId);
  }
  if (query.sessionId !== undefined) {
    clauses.push("session_id = ?");
    params.push(query.sessionId);
  }
  if (query.since !== undefined) {
    clauses.push(`${timeColumn} >= ?`);
    params.push(query.since);
  }
  if (query.until !== undefined) {
    clauses.push(`${timeColumn} < ?`);
    params.push(query.until);
  }
  return { sql: clauses.map((clause) => ` AND ${clause}`).join(""), params };
}

/** Threads with live entries in the query's session or time window (nothing when the query has neither). */
export function threadActivityClause(query: {
  sessionId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
}): { sql: string; params: unknown[] } {
  const filter = attributionFilter(
    { sessionId: query.sessionId, since: query.since, until: query.until },
    "a.created_at",
  );
  if (filter.params.length === 0) return filter;
  return {
    sql: ` AND EXISTS (SELECT 1 FROM entries a WHERE a.user_id = t.user_id AND a.project_id = t.project_id
      AND a.thread_id = t.id AND a.deleted_at IS NULL${filter.sql.replaceAll("session_id", "a.session_id")})`,
    params: filter.params,
  };
}
