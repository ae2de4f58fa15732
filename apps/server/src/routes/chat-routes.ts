import { type ChatDeps, runChatTurn, type TurnEvent } from "@cairn/agent/chat/chat-turn";
import { TurnError } from "@cairn/agent/chat/turn-errors";
import { AppError, errorBody } from "@cairn/core/app-error";
import {
  conversationMessages,
  deleteConversation,
  listConversations,
  ownedConversation,
} from "@cairn/core/operations/conversations";
import { api } from "@cairn/core/wire/api";
import type { ParsedInput } from "@cairn/core/wire/endpoint";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { userOf } from "../auth";
import { toHttpError } from "../error-handler";
import { openEventStream } from "./event-stream";
import { route } from "./typed-route";

/** The body of a failed turn: the one error body, plus the conversation when there is one. */
function turnErrorBody(error: unknown, request: FastifyRequest) {
  const appError = toHttpError(error);
  if (appError.code === "internal") request.log.error({ err: appError.cause ?? appError }, "internal error");
  const conversationId = error instanceof TurnError ? error.conversationId : null;
  return {
    status: appError.status,
    body: { ...errorBody(appError, request.id), ...(conversationId ? { conversation_id: conversationId } : {}) },
  };
}

type ChatBody = ParsedInput<typeof api.chat>["body"];

function wantsStream(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "").includes("text/event-stream");
}

/**
 * A turn as server-sent events: `conversation`, then `text` deltas,
 * `tool_call` and `tool_result` as they happen, and `done` with the same
 * body the JSON answer has (or `error` with the error body).
 */
async function streamTurn(
  deps: ChatDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  input: ChatBody,
) {
  const { send, end } = openEventStream(request, reply);
  try {
    const answer = await runChatTurn(deps, userId, input, (event: TurnEvent) => {
      const { type, ...data } = event;
      send(type, data);
    });
    send("done", answer);
  } catch (error) {
    const { body } = turnErrorBody(error, request);
    send("error", body);
  }
  end();
  return reply;
}

/** The chat API and the conversations (SPEC sections 4 and 5). */
export function chatRoutes(app: FastifyInstance, deps: ChatDeps, chatPerMinute: number): void {
  const scope = deps.scopes;
  // Chat has its own limit per user (60 a minute by default), counted apart from other writes.
  const config = {
    rateLimit: {
      max: chatPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request: FastifyRequest) => `${request.auth?.user.id ?? request.ip}:chat`,
    },
  };
  // The body is parsed by the table's schema first: a malformed one is answered with its status, before any stream.
  const chat = async (request: FastifyRequest, reply: FastifyReply, userId: string, input: ChatBody) => {
    if (wantsStream(request)) return streamTurn(deps, request, reply, userId, input);
    try {
      return await runChatTurn(deps, userId, input);
    } catch (error) {
      const { status, body } = turnErrorBody(error, request);
      return reply.status(status).send(body);
    }
  };
  route(app, api.chat, async ({ body }, request, reply) => chat(request, reply, userOf(request).id, body), { config });
  route(
    app,
    api.chatAs,
    async ({ params, body }, request, reply) => {
      const user = userOf(request);
      if (params.userId !== user.id) throw new AppError("forbidden", "The user in the path is not the token's user");
      return chat(request, reply, user.id, body);
    },
    { config },
  );

  route(app, api.listConversations, async ({ query }, request) => listConversations(scope(userOf(request).id), query));
  route(app, api.getConversation, async ({ params }, request) => ({
    conversation: await ownedConversation(scope(userOf(request).id), params.id),
  }));
  route(app, api.conversationMessages, async ({ params, query }, request) =>
    conversationMessages(scope(userOf(request).id), params.id, query),
  );
  route(app, api.deleteConversation, async ({ params }, request) =>
    deleteConversation(scope(userOf(request).id), params.id),
  );
}
