import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A chat-completions message as the OpenAI wire format carries it. */
export interface WireMessage {
  role: "system" | "user" | "assistant" | "tool";
  content: string | null;
  tool_calls?: { id: string; type: "function"; function: { name: string; arguments: string } }[];
  tool_call_id?: string;
}

export interface WireRequest {
  model: string;
  messages: WireMessage[];
  stream?: boolean;
  tools?: { type: "function"; function: { name: string } }[];
}

/** What the fake answers: text, tool calls, or an HTTP error. */
export type WireReply =
  | { text: string; toolCalls?: undefined }
  | { text?: string; toolCalls: { name: string; arguments: Record<string, unknown> }[] }
  | { status: number; error: string; headers?: Record<string, string> };

export interface FakeOpenAI {
  url: string;
  /** Every request body received, in order. */
  requests: WireRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP server that speaks the OpenAI chat-completions wire format:
 * POST /v1/chat/completions, JSON or (with `stream: true`) server-sent
 * chunks, tool calls included, with bearer auth. Tests configure Cairn's
 * OpenAI-compatible provider with its URL, so the real AI SDK client runs.
 */
export async function startFakeOpenAI(
  reply: (request: WireRequest) => WireReply,
  apiKey = "test-key",
): Promise<FakeOpenAI> {
  const requests: WireRequest[] = [];
  let calls = 0;
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || !request.url?.endsWith("/chat/completions")) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: "not found", type: "invalid_request_error" } }));
        return;
      }
      if (request.headers.authorization !== `Bearer ${apiKey}`) {
        response.writeHead(401, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: "bad key", type: "invalid_request_error" } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as WireRequest;
      requests.push(body);
      const answer = reply(body);
      if ("status" in answer) {
        response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
        response.end(JSON.stringify({ error: { message: answer.error, type: "server_error" } }));
        return;
      }
      const id = `chatcmpl-${++calls}`;
      const created = Math.floor(Date.now() / 1000);
      const toolCalls = (answer.toolCalls ?? []).map((call, index) => ({
        id: `call_${calls}_${index}`,
        type: "function" as const,
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      }));
      const finish = toolCalls.length > 0 ? "tool_calls" : "stop";
      const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
      if (!body.stream) {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(
          JSON.stringify({
            id,
            object: "chat.completion",
            created,
            model: body.model,
            choices: [
              {
                index: 0,
                message: {
                  role: "assistant",
                  content: answer.text ?? null,
                  ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
                },
                finish_reason: finish,
              },
            ],
            usage,
          }),
        );
        return;
      }
      response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      const chunk = (delta: Record<string, unknown>, finishReason: string | null = null, extra = {}) =>
        response.write(
          `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created, model: body.model, choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })}\n\n`,
        );
      chunk({ role: "assistant", content: "" });
      // Text in small pieces, tool call arguments split across chunks: as real servers send them.
      for (const piece of (answer.text ?? "").match(/.{1,8}/gs) ?? []) chunk({ content: piece });
      toolCalls.forEach((call, index) => {
        chunk({
          tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: "" } }],
        });
        const args = call.function.arguments;
        const half = Math.ceil(args.length / 2);
        chunk({ tool_calls: [{ index, function: { arguments: args.slice(0, half) } }] });
        chunk({ tool_calls: [{ index, function: { arguments: args.slice(half) } }] });
      });
      chunk({}, finish, { usage });
      response.end("data: [DONE]\n\n");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A small rule-based assistant on the wire: "add X" calls add_task, "list"
 * calls list_tasks, "done X" calls complete_task; after tool results it
 * answers with what they said. Enough for whole conversations in tests.
 */
export function ruleBasedReply(request: WireRequest): WireReply {
  const last = request.messages[request.messages.length - 1];
  if (last?.role === "tool") {
    const results = request.messages.filter((message) => message.role === "tool").slice(-1);
    return { text: `Tool said: ${results.map((message) => message.content).join(" | ")}` };
  }
  const text = String(last?.content ?? "");
  const add = /^add (.+)$/i.exec(text);
  if (add) return { toolCalls: [{ name: "add_task", arguments: { title: add[1] } }] };
  if (/^list/i.test(text)) return { toolCalls: [{ name: "list_tasks", arguments: { status: "open" } }] };
  const done = /^done (.+)$/i.exec(text);
  if (done) return { toolCalls: [{ name: "complete_task", arguments: { task: done[1] } }] };
  return { text: `You said: ${text}` };
}
