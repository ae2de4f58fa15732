import { slugSchema } from "@cairn/core/entities";
import { nameToId } from "@cairn/core/slug";
import { defineTool, type ToolDefinition } from "@cairn/core/tools/tool";
import * as z from "zod";
import { type CliContext, credentialsOf, withScope } from "../cli-context";
import { acknowledgeAlert, listAlerts } from "../commands/alert-commands";
import { askServer } from "../commands/ask-command";
import { recoverStore } from "../commands/recover-command";
import { endSessionIn, startSessionIn } from "../commands/session-commands";
import { setSyncPaused, syncNow, syncStatus } from "../commands/sync-commands";
import { pushEntryHere } from "../commands/thread-commands";
import { detectProject } from "../detect-project";
import { writeThenPush } from "../inline-push";
import { versionedWriter } from "../versioned-writer";

/**
 * The tools `cairn mcp` adds to the registry's: threads and sync, which live
 * in the local store and the outbox. Each calls the operation (or command
 * function) the CLI's own command calls, never a copy of it.
 */
export function localTools(context: CliContext): ToolDefinition[] {
  const detected = detectProject(context.cwd);
  const threadPush = defineTool({
    name: "thread_push",
    description:
      "Record one verbatim entry of work (what was done, decided, found) in a thread of the current project. " +
      "It lands locally at once and syncs to the server.",
    readOnly: false,
    destructive: false,
    input: z.object({
      content: z.string().min(1).max(100_000),
      thread: z.string().min(1).max(64).optional().describe("Thread name (default: the detected one)"),
      project: z.string().min(1).max(64).optional().describe("Project (default: the detected one)"),
    }),
    async run(_tools, input) {
      const written = await pushEntryHere(context, {
        ...input,
        author: context.env.CAIRN_AGENT ?? context.env.CAIRN_AUTHOR ?? context.osUser,
      });
      return { id: written.id, thread: written.thread, project: written.project, synced: written.synced };
    },
  });
  const threadRead = defineTool({
    name: "thread_read",
    description: "Read a thread's entries, oldest first, a page at a time.",
    readOnly: true,
    destructive: false,
    input: z.object({
      thread: z.string().min(1).max(64),
      project: slugSchema.optional(),
      limit: z.number().int().min(1).max(100).optional(),
      offset: z.number().int().min(0).optional(),
    }),
    async run(_tools, input) {
      const { getThread } = await import("@cairn/core/operations/get-thread");
      return withScope(context, credentialsOf(context), async (local) =>
        getThread(
          { store: local.user },
          {
            thread: nameToId(input.thread),
            ...(input.project ? { project: input.project } : { preferredProject: detected.project }),
            limit: input.limit ?? 20,
            offset: input.offset ?? 0,
          },
        ),
      );
    },
  });
  const threadList = defineTool({
    name: "thread_list",
    description: "List threads with their entry counts, newest activity first (this project, or all).",
    readOnly: true,
    destructive: false,
    input: z.object({
      project: slugSchema.optional(),
      all_projects: z.boolean().optional(),
      limit: z.number().int().min(1).max(100).optional(),
      offset: z.number().int().min(0).optional(),
    }),
    async run(_tools, input) {
      const { listThreads } = await import("@cairn/core/operations/list-threads");
      return withScope(context, credentialsOf(context), async (local) =>
        listThreads(
          { store: local.user, now: context.now },
          {
            ...(input.all_projects ? {} : { project: input.project ?? detected.project }),
            limit: input.limit ?? 20,
            offset: input.offset ?? 0,
          },
        ),
      );
    },
  });
  const syncNowTool = defineTool({
    name: "sync_now",
    description: "Push everything queued to the Cairn server and pull what is new. Returns the counts.",
    readOnly: false,
    destructive: false,
    input: z.object({}),
    run: () => syncNow(context),
  });
  const syncStatusTool = defineTool({
    name: "get_sync_status",
    description:
      "Where this machine's sync stands: server and account, queued and dead rows, the daemon, the last success " +
      "and error, and any problem with the fix for it.",
    readOnly: true,
    destructive: false,
    input: z.object({}),
    run: async () => (await syncStatus(context)).status,
  });
  const pauseTool = defineTool({
    name: "pause_sync",
    description: "Stop sending to the server (writes still land locally and queue) until resume_sync.",
    readOnly: false,
    destructive: false,
    input: z.object({}),
    run: () => setSyncPaused(context, true),
  });
  const resumeTool = defineTool({
    name: "resume_sync",
    description: "Send again after pause_sync.",
    readOnly: false,
    destructive: false,
    input: z.object({}),
    run: () => setSyncPaused(context, false),
  });
  const sessionStart = defineTool({
    name: "session_start",
    description:
      "Start a new work session in the project (it becomes the current one; entries and memories are tagged with it).",
    readOnly: false,
    destructive: false,
    input: z.object({ project: slugSchema.optional(), agent: z.string().max(200).optional() }),
    run: async (_tools, input) => {
      const session = await startSessionIn(context, input.project ?? detected.project, input.agent);
      return { session: { id: session.id, project: session.projectId, agent: session.agent }, synced: session.synced };
    },
  });
  const sessionEnd = defineTool({
    name: "session_end",
    description: "End the project's current session (or the one named), with an optional summary of what was done.",
    readOnly: false,
    destructive: false,
    input: z.object({
      project: slugSchema.optional(),
      id: z.string().min(1).max(64).optional(),
      summary: z.string().max(10_000).optional(),
    }),
    run: async (_tools, input) => {
      const session = await endSessionIn(context, input.project ?? detected.project, input.id, input.summary);
      return {
        session: { id: session.id, project: session.projectId, endedAt: session.endedAt },
        synced: session.synced,
      };
    },
  });
  const forget = defineTool({
    name: "forget",
    description: "Move one memory to the trash (restorable for 30 days with `cairn trash restore`).",
    readOnly: false,
    destructive: true,
    input: z.object({ id: z.string().min(1).max(64) }),
    run: async (_tools, input) => {
      const { forgetMemory } = await import("@cairn/core/operations/memories");
      const memory = await writeThenPush(
        context,
        (local) => forgetMemory(versionedWriter(context, local), input.id),
        (forgotten) => forgotten.id,
      );
      return { status: "forgotten", id: memory.id, deletedAt: memory.deletedAt, synced: memory.synced };
    },
  });
  const checkDestruction = defineTool({
    name: "check_destruction",
    description:
      "Mass-deletion alerts the server raised (many deletes in a short window): how many, when, which ids, and " +
      "whether deletes are being blocked until someone acknowledges. Open ones only unless `all`.",
    readOnly: true,
    destructive: false,
    input: z.object({ all: z.boolean().optional() }),
    run: (_tools, input) => listAlerts(context, Boolean(input.all)),
  });
  const acknowledge = defineTool({
    name: "acknowledge_destruction_alert",
    description:
      "Acknowledge a mass-deletion alert after the user confirmed the deletes were intended: deletes the guard " +
      "blocked go through again. Ask the user first; never acknowledge on your own.",
    readOnly: false,
    destructive: true,
    input: z.object({ id: z.string().min(1).max(64) }),
    run: (_tools, input) => acknowledgeAlert(context, input.id),
  });
  const bootstrapRecovery = defineTool({
    name: "bootstrap_recovery",
    description:
      "Rebuild this machine's local store from the server and verify it. A dry run by default: it only says what " +
      "would come back; pass dry_run false to restore.",
    readOnly: false,
    destructive: false,
    input: z.object({
      dry_run: z.boolean().optional(),
      project: z.string().min(1).max(64).optional(),
      since: z.string().max(40).optional(),
    }),
    run: async (_tools, input) =>
      (await recoverStore(context, { dryRun: input.dry_run ?? true, project: input.project, since: input.since }))
        .output,
  });
  const askOracleTool = defineTool({
    name: "ask_oracle",
    description:
      "Ask a question of everything recorded (on the server): the answer cites the entries and memories it comes " +
      "from, or says memory holds nothing on it (abstained). Prefer it to guessing about past decisions.",
    readOnly: true,
    destructive: false,
    input: z.object({ question: z.string().min(1).max(2000), project: slugSchema.optional() }),
    run: (_tools, input) => askServer(context, input),
  });
  return [
    askOracleTool,
    checkDestruction,
    acknowledge,
    bootstrapRecovery,
    threadPush,
    threadRead,
    threadList,
    syncNowTool,
    syncStatusTool,
    pauseTool,
    resumeTool,
    sessionStart,
    sessionEnd,
    forget,
  ] as ToolDefinition[];
}
