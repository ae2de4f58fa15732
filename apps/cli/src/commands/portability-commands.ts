import { AppError } from "@cairn/core/app-error";
import { nameToId } from "@cairn/core/slug";
import type { api } from "@cairn/core/wire/api";
import type { RequestOf } from "@cairn/core/wire/endpoint";
import type { Command } from "commander";
import { type CliContext, requireCredentials, syncClientFor } from "../cli-context";
import { pullAfterServerChange } from "../inline-push";
import { printResult } from "../output";
import { progressBar } from "../progress";

/** Bytes of rows per import request: well under the server's 1 MiB body limit. */
const importBatchBytes = 768 * 1024;
const importBatchRows = 500;

/**
 * `cairn export --format jsonl|cypher [--project] [--since] > file` streams
 * the server's export to stdout; `cairn import FILE` sends the rows back in
 * batches (importing twice changes nothing). Both show progress on a terminal.
 */
export function registerPortabilityCommands(program: Command, context: CliContext): void {
  program
    .command("export")
    .description("Write all your rows to stdout: JSON lines (for cairn import) or a Cypher script for Neo4j")
    .option("--format <format>", "jsonl|cypher", "jsonl")
    .option("--project <name>", "one project (with your personal tasks)")
    .option("--since <time>", "rows written or changed since (ISO date or a duration such as 7d)")
    .option("--json", "print the summary (lines, bytes, time) as JSON on stderr; the rows still go to stdout")
    .action(async (options: { format: string; project?: string; since?: string; json?: boolean }) => {
      const credentials = requireCredentials(context);
      const [{ api }, { urlOf }, { unreachable }] = await Promise.all([
        import("@cairn/core/wire/api"),
        import("@cairn/core/wire/endpoint"),
        import("@cairn/core/wire/error-body"),
      ]);
      // Streamed, so read here rather than through the JSON client; the path and query from the table.
      const path = urlOf(api.exportRows.path, {
        query: {
          format: options.format,
          ...(options.project ? { project: nameToId(options.project) } : {}),
          ...(options.since ? { since: options.since } : {}),
        },
      });
      let response: Response;
      try {
        response = await fetch(new URL(path, credentials.server), {
          headers: { authorization: `Bearer ${credentials.token}` },
        });
      } catch (error) {
        throw unreachable(credentials.server, error);
      }
      if (!response.ok || !response.body) throw await responseError(response);
      // The server says about how many rows come (a Cypher script has several lines a row).
      const estimate = Number(response.headers.get("x-cairn-rows-estimate"));
      const total = options.format === "jsonl" && Number.isFinite(estimate) && estimate > 0 ? estimate : null;
      const bar = progressBar(context, "exported", "lines");
      const decoder = new TextDecoder();
      let lines = 0;
      let bytes = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        context.stdout(text);
        bytes += chunk.byteLength;
        for (const char of text) if (char === "\n") lines += 1;
        bar.update(lines, total, { estimated: true });
      }
      context.stdout(decoder.decode());
      const summary = { format: options.format, lines, bytes, durationMs: bar.finish() };
      // stdout carries the rows: the summary goes to stderr, as JSON when asked.
      if (options.json) context.stderr(`${JSON.stringify(summary)}\n`);
      else
        context.stderr(
          `exported ${lines.toLocaleString("en")} lines (${bytes.toLocaleString("en")} bytes) in ${summary.durationMs} ms\n`,
        );
    });

  program
    .command("import")
    .description("Import rows written by cairn export --format jsonl (ids are kept; importing twice changes nothing)")
    .argument("<file>", "the JSON lines file, or - for stdin")
    .option("--json", "print JSON")
    .action(async (file: string, options: { json?: boolean }) => {
      const client = await syncClientFor(context, requireCredentials(context));
      const { api } = await import("@cairn/core/wire/api");
      const source = await lineReader(context, file);
      const totals = {
        imported: {} as Record<string, number>,
        new: {} as Record<string, number>,
        unchanged: {} as Record<string, number>,
      };
      const add = (into: Record<string, number>, counts: Record<string, number> | undefined) => {
        for (const [type, count] of Object.entries(counts ?? {})) into[type] = (into[type] ?? 0) + count;
      };
      const bar = progressBar(context, "imported", "rows");
      let batch: unknown[] = [];
      let bytes = 0;
      let lineNumber = 0;
      let sent = 0;
      type ImportRow = RequestOf<typeof api.importRows>["body"]["rows"][number];
      const flush = async () => {
        if (batch.length === 0) return;
        const result = await client.call(api.importRows, { body: { rows: batch as ImportRow[] } });
        add(totals.imported, result.imported);
        add(totals.new, result.new);
        add(totals.unchanged, result.unchanged);
        sent += batch.length;
        // The file's size says how far along it is; rows so far say about how many rows that makes.
        const read = source.bytesRead();
        bar.update(sent, source.size !== null && read > 0 ? (sent * source.size) / read : null, { estimated: true });
        batch = [];
        bytes = 0;
      };
      for await (const line of source.lines) {
        lineNumber += 1;
        if (line.trim() === "") continue;
        let row: unknown;
        try {
          row = JSON.parse(line);
        } catch {
          throw new AppError("bad_request", `Line ${lineNumber} of ${file} is not JSON`, {
            hint: "cairn import reads what cairn export --format jsonl writes.",
          });
        }
        if (bytes + line.length > importBatchBytes || batch.length >= importBatchRows) await flush();
        batch.push(row);
        bytes += line.length;
      }
      await flush();
      const durationMs = bar.finish();
      // The imported rows show in this machine's store too, not only after `cairn sync now`.
      await pullAfterServerChange(context);
      const count = (counts: Record<string, number>) => Object.values(counts).reduce((sum, value) => sum + value, 0);
      const types = Object.fromEntries(
        Object.entries(totals.imported).map(([type, total]) => [
          type,
          { imported: total, new: totals.new[type] ?? 0, unchanged: totals.unchanged[type] ?? 0 },
        ]),
      );
      const result = { rows: sent, new: count(totals.new), unchanged: count(totals.unchanged), types, durationMs };
      printResult(context, Boolean(options.json), result, () =>
        [
          `imported ${sent} rows: ${result.new} new, ${result.unchanged} unchanged (already there)`,
          ...Object.entries(totals.imported).map(
            ([type, total]) =>
              `  ${type}: ${totals.new[type] ?? 0} new, ${totals.unchanged[type] ?? 0} unchanged of ${total}`,
          ),
        ].join("\n"),
      );
    });
}

/** The file's lines, read as they come (stdin for "-"), with how much of it was read; loaded only by this command. */
async function lineReader(
  context: CliContext,
  file: string,
): Promise<{ lines: AsyncIterable<string> | Iterable<string>; size: number | null; bytesRead: () => number }> {
  if (file === "-") {
    const text = (await context.readStdin()) ?? "";
    return { lines: text.split("\n"), size: null, bytesRead: () => 0 };
  }
  const { createReadStream, existsSync, statSync } = await import("node:fs");
  if (!existsSync(file)) throw new AppError("not_found", `No file ${file}`);
  const { createInterface } = await import("node:readline");
  const stream = createReadStream(file, { encoding: "utf8" });
  return {
    lines: createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }),
    size: statSync(file).size,
    bytesRead: () => stream.bytesRead,
  };
}

async function responseError(response: Response): Promise<AppError> {
  const { errorFromResponse } = await import("@cairn/core/wire/error-body");
  return errorFromResponse(response.status, await response.json().catch(() => null));
}
