import type { PendingConfirmation } from "@cairn/core/chat/chat-entities";
import type { Embedder } from "@cairn/core/embeddings/embedder";
import type { MemoryWriteDeps } from "@cairn/core/operations/memories";
import type { UserReads } from "@cairn/core/store/store-port";
import type * as z from "zod";

/** The session a written entry or memory belongs to. */
export interface SessionTag {
  sessionId: string | null;
  /** Who works in it, when the write starts it. */
  sessionAgent?: string;
}

/**
 * What lives on the server whichever side a tool runs: on the server the use cases are called
 * directly, from `cairn mcp` they are requested over HTTP with the saved login.
 */
export interface ServerServices {
  askOracle(input: { question: string; project?: string | undefined }): Promise<unknown>;
  listAlerts(all: boolean): Promise<unknown>;
  acknowledgeAlert(id: string): Promise<unknown>;
  /** What a recovery would bring back (a dry run), or, where a local store exists to restore, the restore. */
  recover(input: { dryRun: boolean; project?: string | undefined; since?: string | undefined }): Promise<unknown>;
}

/**
 * What a tool sees. Its reads are bound to the authenticated user, injected by whoever runs it
 * (the server for the chat agent and `/mcp`, the CLI for `cairn mcp`): no tool takes a user id
 * from its input. The two providers differ in where the rows are, never in what a tool does.
 */
export interface ToolContext {
  /** The authenticated user (for a use case that binds its own handles, as the oracle does). */
  userId: string;
  store: UserReads;
  /** The embedding model when the server has one: search is hybrid. */
  embedder?: Embedder | undefined;
  /** Writes go through the caller's sink (the server's: delete guard, audit, change log; the CLI's: the outbox). */
  writer: MemoryWriteDeps & { store: UserReads };
  now: () => Date;
  newId: () => string;
  /**
   * The conversation and the seq of the user message of the running turn.
   * A confirmation is honoured only from a later turn of the same
   * conversation. Null outside a conversation (MCP): the client asks its user.
   */
  conversation: { id: string; turnSeq: number } | null;
  confirmations: {
    put(confirmation: PendingConfirmation): Promise<void>;
    /** False when it was used already. */
    use(id: string, at: string): Promise<boolean>;
  };
  /** The project of writes that name none. */
  defaultProject: string;
  /** The thread of entries that name none. */
  defaultThread: string;
  /** Who the entries written through a tool are by. */
  author: string;
  /** The agent recorded on a session a tool starts ("" when unknown). */
  agent: string;
  /** The session an entry or memory written in `project` is tagged with. */
  sessionFor(project: string): Promise<SessionTag>;
  /** The project's current session (the one `session_end` ends without an id), and its change. */
  currentSession: {
    get(project: string): Promise<string | null>;
    set(project: string, sessionId: string | null): void;
  };
  server: ServerServices;
}

/** One use case as a model-callable tool: a zod input, a description written for a model, a handler. */
export interface ToolDefinition<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  input: Schema;
  /** Reads only (MCP's readOnlyHint). */
  readOnly: boolean;
  /** May delete or overwrite (MCP's destructiveHint); such a tool asks for confirmation first. */
  destructive: boolean;
  run(context: ToolContext, input: z.infer<Schema>): Promise<unknown>;
}

export function defineTool<Schema extends z.ZodType>(definition: ToolDefinition<Schema>): ToolDefinition<Schema> {
  return definition;
}
