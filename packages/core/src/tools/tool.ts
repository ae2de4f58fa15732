import type * as z from "zod";
import type { PendingConfirmation } from "../chat/chat-entities";
import type { Embedder } from "../embeddings/embedder";
import type { TaskWriteDeps } from "../operations/tasks";
import type { UserReads } from "../store/store-port";

/**
 * What a tool sees. Its reads are bound to the authenticated user, injected by the
 * server: no tool takes a user id from its input.
 */
export interface ToolContext {
  /** The authenticated user (for a use case that binds its own handles, as the oracle does). */
  userId: string;
  store: UserReads;
  /** The embedding model when the server has one: search is hybrid. */
  embedder?: Embedder | undefined;
  /** Writes go through the caller's sink (the server's: delete guard, audit, change log). */
  writer: TaskWriteDeps;
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
  /** The project of memories written without one. */
  defaultProject: string;
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
