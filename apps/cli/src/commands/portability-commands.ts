import { AppError, type ErrorCode, errorCodes } from "@cairn/core/app-error";
import { nameToId } from "@cairn/core/slug";
import type { Command } from "commander";
import { type CliContext, requireCredentials, syncClientFor } from "../cli-context";
import { printResult } from "../output";

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
    .action(async (options: { format: string; project?: string; since?: string }) => {
      const credentials = requireCredentials(context);
      const url = new URL("/api/export", credentials.server);
      url.searchParams.set("format", options.format);
      if (options.project) url.searchParams.set("project", nameToId(options.project));
      if (options.since) url.searchParams.set("since", options.since);
      let response: Response;
      try {
        response = await fetch(url, { headers: { authorization: `Bearer ${credentials.token}` } });
      } catch (error) {
        throw new AppError("unavailable", `Cannot reach ${credentials.server}`, { cause: error });
      }
      if (!response.ok || !response.body) throw await responseError(response);
      const decoder = new TextDecoder();
      let lines = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        context.stdout(text);
        for (const char of text) if (char === "\n") lines += 1;
        context.progress(`exported ${lines.toLocaleString("en")} lines`);
      }
      context.stdout(decoder.decode());
      context.progress(null);
    });

  program
    .command("import")
    .description("Import rows written by cairn export --format jsonl (ids are kept; importing twice changes nothing)")
    .argument("<file>", "the JSON lines file, or - for stdin")
    .option("--json", "print JSON")
    .action(async (file: string, options: { json?: boolean }) => {
      const client = await syncClientFor(context, requireCredentials(context));
      const lines = await lineReader(context, file);
      const totals: Record<string, number> = {};
      let batch: unknown[] = [];
      let bytes = 0;
      let lineNumber = 0;
      let sent = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const result = (await client.post("/api/import", { rows: batch })) as { imported: Record<string, number> };
        for (const [type, count] of Object.entries(result.imported)) totals[type] = (totals[type] ?? 0) + count;
        sent += batch.length;
        context.progress(`imported ${sent.toLocaleString("en")} rows`);
        batch = [];
        bytes = 0;
      };
      for await (const line of lines) {
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
      context.progress(null);
      printResult(
        context,
        Boolean(options.json),
        { imported: totals, rows: sent },
        () =>
          `imported ${sent} rows: ${Object.entries(totals)
            .map(([type, count]) => `${count} ${type}`)
            .join(", ")}`,
      );
    });
}

/** The file's lines, read as they come (stdin for "-"); loaded only by this command, so other commands start fast. */
async function lineReader(context: CliContext, file: string): Promise<AsyncIterable<string> | Iterable<string>> {
  if (file === "-") return ((await context.readStdin()) ?? "").split("\n");
  const { createReadStream, existsSync } = await import("node:fs");
  if (!existsSync(file)) throw new AppError("not_found", `No file ${file}`);
  const { createInterface } = await import("node:readline");
  return createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Number.POSITIVE_INFINITY });
}

async function responseError(response: Response): Promise<AppError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  const code = body?.error?.code && body.error.code in errorCodes ? (body.error.code as ErrorCode) : "upstream_error";
  return new AppError(code, body?.error?.message ?? `The server answered ${response.status}`);
}
