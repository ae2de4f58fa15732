import { AppError } from "@cairn/core/app-error";
import { slugSchema } from "@cairn/core/entities";
import { endSession, startSession } from "@cairn/core/operations/sessions";
import * as z from "zod";
import { defineTool } from "./tool";

export const sessionStartTool = defineTool({
  name: "session_start",
  description:
    "Start a new work session in the project (it becomes the current one; entries and memories are tagged with it).",
  readOnly: false,
  destructive: false,
  input: z.object({ project: slugSchema.optional(), agent: z.string().max(200).optional() }),
  async run(context, input) {
    const project = input.project ?? context.defaultProject;
    const session = await startSession(context.writer, { project, agent: input.agent ?? context.agent });
    context.currentSession.set(project, session.id);
    return { session: { id: session.id, project: session.projectId, agent: session.agent } };
  },
});

export const sessionEndTool = defineTool({
  name: "session_end",
  description: "End the project's current session (or the one named), with an optional summary of what was done.",
  readOnly: false,
  destructive: false,
  input: z.object({
    project: slugSchema.optional(),
    id: z.string().min(1).max(64).optional(),
    summary: z.string().max(10_000).optional(),
  }),
  async run(context, input) {
    const project = input.project ?? context.defaultProject;
    const target = input.id ?? (await context.currentSession.get(project));
    if (!target) throw new AppError("not_found", `No current session in project ${project}`);
    const session = await endSession(context.writer, { id: target, summary: input.summary });
    if ((await context.currentSession.get(session.projectId)) === session.id) {
      context.currentSession.set(session.projectId, null);
    }
    return { session: { id: session.id, project: session.projectId, endedAt: session.endedAt } };
  },
});
