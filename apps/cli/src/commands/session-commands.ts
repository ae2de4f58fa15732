import type { Entry, Memory, Session } from "@cairn/core/entities";
import type { Command } from "commander";
import { type CliContext, credentialsOf, withScope } from "../cli-context";
import { endSessionHere, startSessionHere } from "../local/sessions";
import { printResult } from "../output";
import {
  type AttributionOptions,
  attributionInput,
  type ProjectOptions,
  projectOf,
  withAttributionOptions,
} from "../project-options";
import { intOption } from "./options";

type JsonOption = { json?: boolean };

function sessionLine(session: Session): string {
  const state = session.endedAt ? `ended ${session.endedAt}` : `active, last ${session.lastActivityAt}`;
  return `${session.id} ${session.projectId}${session.agent ? ` (${session.agent})` : ""} started ${session.startedAt}, ${state}`;
}

function recordText(record: { session: Session; entries: Entry[]; memories: Memory[] }): string {
  return [
    sessionLine(record.session),
    ...(record.session.summary ? [`summary: ${record.session.summary}`] : []),
    `${record.entries.length} entries, ${record.memories.length} memories`,
    ...record.entries.map((entry) => `\n[${entry.createdAt}] ${entry.projectId}/${entry.threadId}\n${entry.content}`),
    ...record.memories.map((memory) => `\n(${memory.kind}) ${memory.content}`),
  ].join("\n");
}

/** `cairn session start|end|current|list|show|last`. */
export function registerSessionCommands(program: Command, context: CliContext): void {
  const session = program.command("session").description("Work sessions: every entry and memory is tagged with one");

  session
    .command("start")
    .description("Start a new session in the project (it becomes the current one)")
    .option("--project <name>", "project (default: detected)")
    .option("--agent <name>", "who works in it (default: CAIRN_AGENT)")
    .option("--json", "print JSON")
    .action(async (options: ProjectOptions & { agent?: string }) => {
      const started = await startSessionHere(context, projectOf(context, options), options.agent);
      printResult(
        context,
        Boolean(options.json),
        { session: started, synced: started.synced },
        () => `started ${started.id}`,
      );
    });

  session
    .command("end")
    .description("End the project's current session (or the one named)")
    .argument("[id]")
    .option("--project <name>", "project (default: detected)")
    .option("--summary <text>", "a summary to keep with it")
    .option("--json", "print JSON")
    .action(async (id: string | undefined, options: ProjectOptions & { summary?: string }) => {
      const ended = await endSessionHere(context, projectOf(context, options), id, options.summary);
      printResult(context, Boolean(options.json), { session: ended, synced: ended.synced }, () => `ended ${ended.id}`);
    });

  session
    .command("current")
    .description("The project's current session")
    .option("--project <name>", "project (default: detected)")
    .option("--json", "print JSON")
    .action(async (options: ProjectOptions) => {
      const { sessionOpen } = await import("@cairn/core/operations/sessions");
      const project = projectOf(context, options);
      await withScope(context, credentialsOf(context), async (local) => {
        const id = local.currentSessionId(project);
        const current = id ? await local.user.getSession(id) : null;
        const open = current !== null && sessionOpen(current, context.now());
        printResult(context, Boolean(options.json), { project, session: open ? current : null }, () =>
          open && current ? sessionLine(current) : `no open session in ${project} (the next write starts one)`,
        );
      });
    });

  withAttributionOptions(session.command("list").description("Sessions, newest first"))
    .option("--limit <n>", "page size", intOption, 20)
    .option("--offset <n>", "skip this many", intOption, 0)
    .option("--json", "print JSON")
    .action(async (options: AttributionOptions & { limit: number; offset: number }) => {
      const { listSessions } = await import("@cairn/core/operations/sessions");
      await withScope(context, credentialsOf(context), async (local) => {
        const { session: _ignored, ...filter } = attributionInput(context, options);
        const page = await listSessions(
          { store: local.user, now: context.now },
          {
            ...filter,
            limit: options.limit,
            offset: options.offset,
          },
        );
        printResult(context, Boolean(options.json), page, () =>
          page.sessions.length === 0 ? "no sessions" : page.sessions.map(sessionLine).join("\n"),
        );
      });
    });

  session
    .command("show")
    .description("What a session recorded: its entries and memories")
    .argument("<id>")
    .option("--json", "print JSON")
    .action(async (id: string, options: JsonOption) => {
      const { sessionRecord } = await import("@cairn/core/operations/sessions");
      await withScope(context, credentialsOf(context), async (local) => {
        const record = await sessionRecord({ store: local.user }, id);
        printResult(context, Boolean(options.json), record, () => recordText(record));
      });
    });

  session
    .command("last")
    .description("What we did in the last session on this project (its entries and memories)")
    .option("--project <name>", "project (default: detected)")
    .option("--json", "print JSON")
    .action(async (options: ProjectOptions) => {
      const { lastSession } = await import("@cairn/core/operations/sessions");
      await withScope(context, credentialsOf(context), async (local) => {
        const record = await lastSession({ store: local.user }, projectOf(context, options));
        printResult(context, Boolean(options.json), record, () => recordText(record));
      });
    });
}
