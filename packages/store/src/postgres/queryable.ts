import type { QueryResult, QueryResultRow } from "pg";

/** What both a pg Pool and a checked-out client offer. */
export interface Queryable {
  query<Row extends QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<Row>>;
}
