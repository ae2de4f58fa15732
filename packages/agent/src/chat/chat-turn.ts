import type { LanguageModelV3 } from "@ai-sdk/provider";
import { AppError } from "@cairn/core/app-error";
import type { ChatMessage, NewChatMessage, StoredToolCall } from "@cairn/core/chat/chat-entities";
import type { FaultPoint } from "@cairn/core/operations/apply-push";
import { ownedConversation } from "@cairn/core/operations/conversations";
import type { Store } from "@cairn/core/store/store-port";
import type { UserScopes } from "@cairn/core/user-scope";
import { parseInput } from "@cairn/core/validate";
import { chatInput } from "@cairn/core/wire/chat";
import { stepCountIs, streamText } from "ai";
import type * as z from "zod";
import { agentTools } from "../tools/registry";
import type { ToolContext, ToolDefinition } from "../tools/tool";
import { agentToolSet, type ToolOutcomes } from "./agent-tools";
import { answerOf, type ChatAnswer } from "./chat-answer";
import { historyOf } from "./history";
import { streamWithDeadline } from "./stream-with-deadline";
import { toolUnit } from "./tool-unit";
import { classifyTurnError, TurnError } from "./turn-errors";

export interface ChatSettings {
  /** Model steps a turn may take (each may call tools). */
  chatMaxSteps: number;
  /** The most messages of history a turn sends. */
  chatHistoryMessages: number;
  /** The token budget of that history. */
  chatHistoryTokens: number;
  chatTimeoutMs: number;
  chatRetries: number;
}

/** What a chat turn needs: the store of conversations, the users' scopes, a model and its tools. */
export interface ChatDeps {
  store: Store;
  /** Each user's scope: the tools' writes go through its sink (delete guard, audit). */
  scopes: UserScopes;
  /** The context a turn's tools run in, for its user and conversation (the server's provider). */
  toolContext(userId: string, conversation: ToolContext["conversation"]): ToolContext;
  now: () => Date;
  newId: () => string;
  model: LanguageModelV3;
  /** The tools the agent may call (default: the registry's agent tools). */
  tools?: ToolDefinition[] | undefined;
  chat: ChatSettings;
  /** Where a tool's internal error is logged (its cause never reaches the model). */
  logInternal?: ((error: unknown) => void) | undefined;
  /** Named crash points for crash tests. */
  faultPoint?: ((point: FaultPoint) => void) | undefined;
}

export { chatInput };

/** What a streaming client sees while a turn runs (the route writes them as server-sent events). */
export type TurnEvent =
  | { type: "conversation"; conversation_id: string }
  | { type: "text"; delta: string }
  | { type: "tool_call"; tool_call_id: string; tool_name: string; parameters: unknown }
  | { type: "tool_result"; tool_call_id: string; tool_name: string; result: unknown; success: boolean };

/** One model step as it finished: its text, and the tool calls that got a result. */
interface Step {
  text: string;
  calls: StoredToolCall[];
  finishReason: string;
}

function systemPrompt(now: Date): string {
  return [
    "You are Cairn's assistant. You manage the user's tasks and memory only through the tools, and answer from",
    "their results: never invent tasks, ids or memories.",
    `Today is ${now.toISOString().slice(0, 10)} (UTC).`,
    "Deleting tasks, or changing more than one task at once, takes two steps: the tool first returns what would",
    "change and a confirmation_id. Show the user what would change and ask. Call the tool again with the",
    "confirmation_id only after the user agrees in their next message.",
    "When a reference matches several tasks, list them and ask which one; never guess.",
    "Keep answers short.",
  ].join(" ");
}

const pollMs = 25;

/**
 * One turn of the chat agent (SPEC section 5), stateless: the conversation
 * is rebuilt from the database on every request.
 *
 * 1. The user message is stored (status pending) before the model runs. A
 *    client message id already stored answers from the stored turn: a
 *    finished one at once, a running one once it finishes, a failed one by
 *    running it again.
 * 2. The model runs with the history (the last N messages within a token
 *    budget) and the tools, up to `chatMaxSteps` steps.
 * 3. The steps that finished (assistant messages with their tool calls, and
 *    the tool results) are stored together with the user message's final
 *    status, in one transaction: no tool call is ever stored without its result.
 */
export async function runChatTurn(
  deps: ChatDeps,
  userId: string,
  body: unknown,
  emit: (event: TurnEvent) => void = () => {},
): Promise<ChatAnswer> {
  const input = parseInput(chatInput, body ?? {});
  const conversationId = await conversationFor(deps, userId, input);
  emit({ type: "conversation", conversation_id: conversationId });
  try {
    const userMessage = await claimUserMessage(deps, userId, conversationId, input);
    if ("answer" in userMessage) return userMessage.answer;
    return await runModel(deps, userId, conversationId, userMessage.message, emit);
  } catch (error) {
    if (error instanceof TurnError) throw error;
    throw new TurnError(error instanceof AppError ? error : classifyTurnError(error, false), conversationId);
  }
}

/** The conversation of this message: the named one (404 unknown, 403 another user's), or a new one. */
async function conversationFor(deps: ChatDeps, userId: string, input: z.infer<typeof chatInput>): Promise<string> {
  if (input.conversation_id)
    return (
      await ownedConversation({ store: deps.store.forUser(userId), system: deps.store.system }, input.conversation_id)
    ).id;
  if (input.client_message_id) {
    const started = await deps.store.forUser(userId).findConversationByOrigin(input.client_message_id);
    if (started) return started.id;
  }
  const at = deps.now().toISOString();
  const conversation = {
    id: deps.newId(),
    title: input.message.trim().replace(/\s+/g, " ").slice(0, 80),
    createdAt: at,
    updatedAt: at,
  };
  const created = await deps.store.system.transaction((tx) =>
    tx.forUser(userId).createConversation(conversation, input.client_message_id ?? null),
  );
  if (created) return conversation.id;
  // The same first message is being sent twice at once: the other request's conversation.
  const started = await deps.store.forUser(userId).findConversationByOrigin(input.client_message_id ?? "");
  if (!started) throw new AppError("conflict", "The conversation could not be created; retry");
  return started.id;
}

type Claim = { message: ChatMessage } | { answer: ChatAnswer };

/** Stores the user message, or finds the stored one of this client message id and decides what it needs. */
async function claimUserMessage(
  deps: ChatDeps,
  userId: string,
  conversationId: string,
  input: z.infer<typeof chatInput>,
): Promise<Claim> {
  const message: NewChatMessage = {
    id: deps.newId(),
    conversationId,
    role: "user",
    content: input.message,
    toolCalls: null,
    toolCallId: null,
    clientMessageId: input.client_message_id ?? null,
    status: "pending",
    error: null,
    createdAt: deps.now().toISOString(),
  };
  const [stored] = await deps.store.system.transaction((tx) =>
    tx.forUser(userId).appendMessages(conversationId, [message], message.createdAt),
  );
  if (stored) return { message: stored };
  // A retry: this client message id is stored already.
  const deadline = Date.now() + deps.chat.chatTimeoutMs * (deps.chat.chatRetries + 1) + 5_000;
  for (;;) {
    const existing = await deps.store
      .forUser(userId)
      .findMessageByClientId(conversationId, input.client_message_id ?? "");
    if (!existing) throw new AppError("internal", "A stored message disappeared");
    // A retry sends the same message; another text under the same id is another message, not a retry.
    if (existing.content !== input.message) {
      throw new AppError("conflict", "This client_message_id was already used for a different message", {
        details: { client_message_id: input.client_message_id },
        hint: "Send a new client_message_id for a new message.",
      });
    }
    if (existing.status === "complete") {
      const turn = await deps.store.forUser(userId).messagesAfter(conversationId, existing.seq, 200);
      const answer = answerOf(conversationId, turn);
      if (answer) return { answer };
      throw new AppError("internal", "A finished turn has no answer");
    }
    if (existing.status === "error") {
      // A failed turn runs again; of two retries at once, one takes it and the other waits for it.
      const taken = await deps.store.system.transaction((tx) =>
        tx.forUser(userId).setMessageStatus(existing.id, { status: "pending", error: null, onlyIf: ["error"] }),
      );
      if (taken) return { message: { ...existing, status: "pending", error: null } };
    }
    if (Date.now() > deadline) {
      throw new AppError("conflict", "This message's turn is still running; retry later", {
        hint: "Send the same client_message_id again to get its answer.",
      });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function runModel(
  deps: ChatDeps,
  userId: string,
  conversationId: string,
  userMessage: ChatMessage,
  emit: (event: TurnEvent) => void,
): Promise<ChatAnswer> {
  const stored = await deps.store.forUser(userId).recentMessages(conversationId, deps.chat.chatHistoryMessages);
  const messages = historyOf(stored, {
    budgetTokens: deps.chat.chatHistoryTokens,
    currentUserMessageId: userMessage.id,
  });
  const outcomes: ToolOutcomes = new Map();
  const context = deps.toolContext(userId, { id: conversationId, turnSeq: userMessage.seq });
  const tools = agentToolSet(
    deps.tools ?? agentTools,
    {
      context,
      unit: () => toolUnit(context, (after) => deps.scopes(userId, { after }).sink),
      record: (invocation) => deps.store.forUser(userId).transaction((tx) => tx.putToolInvocation(invocation)),
      faultPoint: deps.faultPoint,
      logInternal: deps.logInternal,
    },
    outcomes,
  );

  const steps: Step[] = [];
  let current: Step = { text: "", calls: [], finishReason: "" };
  const { failure, timedOut } = await streamWithDeadline(
    deps.chat.chatTimeoutMs,
    (abortSignal) =>
      streamText({
        model: deps.model,
        system: systemPrompt(deps.now()),
        messages,
        tools,
        stopWhen: stepCountIs(deps.chat.chatMaxSteps),
        maxRetries: deps.chat.chatRetries,
        abortSignal,
        // The turn's identity, for models that make their own tool call ids (the offline model: see offline-model.ts).
        providerOptions: { cairn: { turn: userMessage.id } },
        // Failures arrive as error parts; the SDK's default would print them (and provider text) to stderr.
        onError: () => {},
      }),
    (part) => {
      switch (part.type) {
        case "text-delta":
          current.text += part.text;
          emit({ type: "text", delta: part.text });
          break;
        case "tool-call":
          current.calls.push({ id: part.toolCallId, name: part.toolName, input: part.input });
          emit({ type: "tool_call", tool_call_id: part.toolCallId, tool_name: part.toolName, parameters: part.input });
          break;
        case "tool-result":
        case "tool-error": {
          const outcome = outcomes.get(part.toolCallId) ?? {
            result:
              part.type === "tool-error"
                ? { error: { code: "invalid_input", message: String(part.error) } }
                : part.output,
            success: part.type === "tool-result",
          };
          outcomes.set(part.toolCallId, outcome);
          emit({ type: "tool_result", tool_call_id: part.toolCallId, tool_name: part.toolName, ...outcome });
          break;
        }
        case "finish-step":
          current.finishReason = part.finishReason;
          steps.push(current);
          current = { text: "", calls: [], finishReason: "" };
          break;
      }
    },
  );

  const last = steps[steps.length - 1];
  let error: AppError | null = null;
  if (failure !== null || timedOut) error = classifyTurnError(failure, timedOut);
  else if (!last) error = new AppError("upstream_model_error", "The model provider sent no answer");
  else if (last.finishReason === "tool-calls") {
    error = new AppError(
      "agent_turn_limit",
      `The agent used all ${deps.chat.chatMaxSteps} steps of its turn without an answer`,
    );
  } else if (last.finishReason === "content-filter") {
    error = new AppError("guardrail_refusal", "The model refused this request");
  }
  const turn = await storeTurn(deps, userId, conversationId, userMessage, steps, outcomes, error);
  if (error) throw new TurnError(error, conversationId);
  const answer = answerOf(conversationId, turn);
  if (!answer) throw new TurnError(new AppError("internal", "Internal error"), conversationId);
  return answer;
}

/**
 * Stores the finished steps and the user message's final status in one
 * transaction. A call without a result (cut off by a failure) is left out,
 * so the stored conversation never holds an orphan tool call. A failed turn
 * keeps its user message (status error, with the code) and the steps that
 * did finish (their tools ran).
 */
async function storeTurn(
  deps: ChatDeps,
  userId: string,
  conversationId: string,
  userMessage: ChatMessage,
  steps: Step[],
  outcomes: ToolOutcomes,
  error: AppError | null,
): Promise<ChatMessage[]> {
  const at = () => deps.now().toISOString();
  const rows: NewChatMessage[] = [];
  const row = (fields: Partial<NewChatMessage> & Pick<NewChatMessage, "role" | "content">): NewChatMessage => ({
    id: deps.newId(),
    conversationId,
    toolCalls: null,
    toolCallId: null,
    clientMessageId: null,
    status: "complete",
    error: null,
    createdAt: at(),
    ...fields,
  });
  for (const step of steps) {
    const calls = step.calls.filter((call) => outcomes.has(call.id));
    if (calls.length === 0 && step.text === "") continue;
    rows.push(row({ role: "assistant", content: step.text, toolCalls: calls.length > 0 ? calls : null }));
    for (const call of calls) {
      const outcome = outcomes.get(call.id) as { result: unknown; success: boolean };
      rows.push(
        row({
          role: "tool",
          content: JSON.stringify(outcome.result ?? null),
          toolCallId: call.id,
          status: outcome.success ? "complete" : "error",
        }),
      );
    }
  }
  return deps.store.system.transaction(async (tx) => {
    const appended = rows.length > 0 ? await tx.forUser(userId).appendMessages(conversationId, rows, at()) : [];
    await tx.forUser(userId).setMessageStatus(userMessage.id, {
      status: error ? "error" : "complete",
      error: error ? error.code : null,
    });
    return appended;
  });
}
