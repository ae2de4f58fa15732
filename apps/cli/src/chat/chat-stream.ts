import type { IncomingMessage } from "node:http";
import { AppError } from "@cairn/core/app-error";
import type { ChatAnswer } from "@cairn/core/chat/chat-entities";
import { errorFromResponse } from "@cairn/core/wire/error-body";

/** One server-sent event of a chat turn (see the server's chat-routes). */
export interface ChatEvent {
  event: string;
  data: Record<string, unknown>;
}

export type { ChatAnswer };

/** Splits a server-sent event stream into events as they arrive. */
function parseEvents(onEvent: (event: ChatEvent) => void) {
  let buffer = "";
  return (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf("\n\n"); end !== -1; end = buffer.indexOf("\n\n")) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event: ")) event = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (data) onEvent({ event, data: JSON.parse(data) as Record<string, unknown> });
    }
  };
}

/**
 * Posts one chat turn and streams it back: `onEvent` sees each tool call,
 * tool result and text delta as it happens. Resolves with the turn's answer
 * (the `done` event); an `error` event or an HTTP error rejects with its
 * AppError. A connection that fails before an answer is retried with the
 * same client message id, which the server answers without running twice.
 */
export async function streamChatTurn(options: {
  server: string;
  token: string;
  body: { message: string; conversation_id?: string; client_message_id: string };
  onEvent: (event: ChatEvent) => void;
  attempts?: number;
}): Promise<ChatAnswer> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await once(options);
    } catch (error) {
      const retryable = !(error instanceof AppError) && attempt < attempts;
      if (!retryable) {
        if (error instanceof AppError) throw error;
        throw new AppError("unavailable", `Cannot reach ${options.server}: ${(error as Error).message}`, {
          hint: "Check the server is running; the same message can be sent again safely.",
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}

async function once(options: Parameters<typeof streamChatTurn>[0]): Promise<ChatAnswer> {
  // Read as events while it runs, so sent here rather than through the JSON client; the path from the table.
  const { api } = await import("@cairn/core/wire/api");
  const url = new URL(api.chat.path, options.server);
  const { request } = url.protocol === "https:" ? await import("node:https") : await import("node:http");
  const payload = JSON.stringify(options.body);
  return new Promise<ChatAnswer>((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: api.chat.method,
        headers: {
          authorization: `Bearer ${options.token}`,
          "content-type": "application/json",
          accept: "text/event-stream",
          "content-length": String(Buffer.byteLength(payload)),
        },
      },
      (incoming: IncomingMessage) => {
        incoming.setEncoding("utf8");
        if (incoming.statusCode !== 200) {
          let text = "";
          incoming.on("data", (chunk: string) => {
            text += chunk;
          });
          incoming.on("end", () => {
            let body: unknown = null;
            try {
              body = JSON.parse(text);
            } catch {}
            reject(errorFromResponse(incoming.statusCode ?? 0, body));
          });
          return;
        }
        let settled = false;
        const feed = parseEvents((event) => {
          if (event.event === "done") {
            settled = true;
            resolve(event.data as unknown as ChatAnswer);
          } else if (event.event === "error") {
            settled = true;
            reject(errorFromResponse(500, event.data));
          } else options.onEvent(event);
        });
        incoming.on("data", feed);
        incoming.on("error", reject);
        incoming.on("end", () => {
          if (!settled) reject(new Error("the stream ended before the answer"));
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}
