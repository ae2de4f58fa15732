import * as z from "zod";
import { AppError } from "../app-error";
import { idSchema, plainText, type Session, slugSchema } from "../entities";
import type { MutationSink } from "../mutations/mutation-sink";
import { sessionIdleMs, sessionOpen } from "../retention";
import type { EntryReads, MemoryReads, SessionReads } from "../store/store-roles";

/** What session records read: sessions, and the entries and memories written in them. */
type SessionRecordReads = SessionReads & EntryReads & MemoryReads;

import { parseInput } from "../validate";
import { attribution } from "./attribution";
import { pagingSchema } from "./paging";

export { sessionIdleMs, sessionOpen };

export const startSessionInput = z.object({ project: slugSchema, agent: plainText().max(200).default("") });

export async function startSession(
  deps: { sink: MutationSink; newId: () => string; now: () => Date },
  input: z.input<typeof startSessionInput>,
): Promise<Session> {
  const parsed = parseInput(startSessionInput, input);
  const at = deps.now().toISOString();
  const session: Session = {
    id: deps.newId(),
    projectId: parsed.project,
    agent: parsed.agent,
    startedAt: at,
    lastActivityAt: at,
    endedAt: null,
    summary: null,
  };
  await deps.sink.commit([
    {
      op: "session.start",
      args: { id: session.id, projectId: session.projectId, agent: session.agent, startedAt: at },
    },
  ]);
  return session;
}

export async function endSession(
  deps: { store: SessionRecordReads; sink: MutationSink; now: () => Date },
  input: { id: string; summary?: string | null | undefined },
): Promise<Session> {
  const session = await getSession(deps, input.id);
  if (session.endedAt !== null) return session;
  const endedAt = deps.now().toISOString();
  await deps.sink.commit([{ op: "session.end", args: { id: session.id, endedAt, summary: input.summary ?? null } }]);
  return { ...session, endedAt, summary: input.summary ?? session.summary };
}

export async function getSession(deps: { store: SessionRecordReads }, id: string): Promise<Session> {
  const session = await deps.store.getSession(parseInput(idSchema, id));
  if (!session) throw new AppError("not_found", `No session ${id}`);
  return session;
}

/** What a session recorded: its entries and memories, oldest first (GET /api/sessions/{id}). */
export async function sessionRecord(deps: { store: SessionRecordReads }, id: string) {
  const session = await getSession(deps, id);
  const [entries, memories] = await Promise.all([
    deps.store.sessionEntries(session.id, 1000),
    deps.store.listMemories({ sessionId: session.id, limit: 500, offset: 0 }),
  ]);
  return { session, entries, memories: [...memories.memories].reverse() };
}

export const sessionListInput = pagingSchema.extend({
  project: slugSchema.optional(),
  since: z.string().optional(),
  until: z.string().optional(),
});

export async function listSessions(
  deps: { store: SessionRecordReads; now?: () => Date },
  input: z.input<typeof sessionListInput>,
) {
  const parsed = parseInput(sessionListInput, input);
  const { sessionId: _session, ...filter } = attribution(parsed, deps.now?.());
  return deps.store.listSessions({ ...filter, limit: parsed.limit, offset: parsed.offset });
}

/** The newest session of a project ("what did we do in the last session?"), with what it recorded. */
export async function lastSession(deps: { store: SessionRecordReads }, project: string) {
  const { sessions } = await deps.store.listSessions({ projectId: project, limit: 1, offset: 0 });
  const [latest] = sessions;
  if (!latest) throw new AppError("not_found", `No session in project ${project} yet`);
  return sessionRecord(deps, latest.id);
}
