import { slugSchema } from "@cairn/core/entities";
import { appendEntry } from "@cairn/core/operations/append-entry";
import { resolveRef } from "@cairn/core/operations/citation-ref";
import { getThread } from "@cairn/core/operations/get-thread";
import { listThreads } from "@cairn/core/operations/list-threads";
import { nameToId } from "@cairn/core/slug";
import * as z from "zod";
import { defineTool } from "./tool";

export const threadPushTool = defineTool({
  name: "thread_push",
  description:
    "Record one verbatim entry of work (what was done, decided, found) in a thread of the current project. " +
    "It is stored at once (and, from a machine, synced to the server).",
  readOnly: false,
  destructive: false,
  input: z.object({
    content: z.string().min(1).max(100_000),
    thread: z.string().min(1).max(64).optional().describe("Thread name (default: the current one)"),
    project: z.string().min(1).max(64).optional().describe("Project (default: the current one)"),
  }),
  async run(context, input) {
    const project = input.project ? nameToId(input.project) : context.defaultProject;
    const written = await appendEntry(context.writer, {
      project,
      ...(await context.sessionFor(project)),
      thread: input.thread ? nameToId(input.thread) : context.defaultThread,
      ...(input.thread ? { threadName: input.thread } : {}),
      content: input.content,
      author: context.author,
    });
    return { id: written.id, thread: written.thread, project: written.project, session: written.session };
  },
});

export const threadReadTool = defineTool({
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
  run: (context, input) =>
    getThread(context, {
      thread: nameToId(input.thread),
      ...(input.project ? { project: input.project } : { preferredProject: context.defaultProject }),
      limit: input.limit ?? 20,
      offset: input.offset ?? 0,
    }),
});

export const threadListTool = defineTool({
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
  run: (context, input) =>
    listThreads(context, {
      ...(input.all_projects ? {} : { project: input.project ?? context.defaultProject }),
      limit: input.limit ?? 20,
      offset: input.offset ?? 0,
    }),
});

export const openCitationTool = defineTool({
  name: "open_citation",
  description:
    "Open the row a citation names (thread:<thread>#<entry id> or memory:<id>, as ask_oracle and search give " +
    "them): the whole entry or memory.",
  readOnly: true,
  destructive: false,
  input: z.object({ ref: z.string().min(1).max(200) }),
  run: (context, input) => resolveRef(context.store, input.ref),
});
