import * as z from "zod";
import { slugSchema } from "../entities";
import { cypherPreamble, cypherRow } from "../portability/cypher";
import { exportRows } from "../portability/export-rows";
import type { FeedReads } from "../store/store-roles";
import { parseTimeFilter } from "../time-filter";
import { parseInput } from "../validate";

export const exportInput = z.object({
  format: z.enum(["jsonl", "cypher"]).default("jsonl"),
  project: slugSchema.optional(),
  since: z.string().max(100).optional(),
});

/**
 * `GET /api/export`, `cairn export`: a user's live rows as lines of JSON
 * (one row a line, what `cairn import` reads) or as a Cypher script for
 * Neo4j. Lines are produced as the rows are read, never all held at once.
 */
export async function* exportLines(
  deps: { store: FeedReads; now: () => Date },
  input: z.input<typeof exportInput>,
): AsyncGenerator<string> {
  const parsed = parseInput(exportInput, input);
  const filter = {
    projectId: parsed.project,
    since: parsed.since === undefined ? undefined : parseTimeFilter(parsed.since, deps.now()),
  };
  if (parsed.format === "cypher") for (const line of cypherPreamble()) yield `${line}\n`;
  for await (const row of exportRows(deps.store, filter)) {
    if (parsed.format === "jsonl") yield `${JSON.stringify(row)}\n`;
    else for (const line of cypherRow(row)) yield `${line}\n`;
  }
}
