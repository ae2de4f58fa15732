import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inProcessModel, noUsage } from "@cairn/agent/chat/model-stream";
import { createUser } from "@cairn/core/accounts/create-user";
import type { NewChatMessage } from "@cairn/core/chat/chat-entities";
import { createIdGenerator } from "@cairn/core/ids";
import { createApp } from "@cairn/server/create-app";
import type { ServerDeps } from "@cairn/server/server-deps";
import { nodeSecrets } from "@cairn/store/node-secrets";
import { SqliteStore } from "@cairn/store/sqlite/sqlite-store";
import { median, percentile } from "./corpus";

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function call(url: string, token: string, method: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const outgoing = request(
      url,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}),
        },
      },
      (incoming) => {
        incoming.resume();
        incoming.on("end", () => {
          if ((incoming.statusCode ?? 0) >= 300) reject(new Error(`HTTP ${incoming.statusCode} from ${url}`));
          else resolve(performance.now() - started);
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/**
 * Chat overhead without the model (issue 5): a model that answers at once,
 * a conversation holding 1,000 messages, turns over real loopback HTTP;
 * the baseline is a bare authenticated route (GET /api/me) of the same app.
 */
export async function chatOverhead(turns = 500): Promise<{
  chat: { p50: number; p99: number };
  bare: { p50: number; p99: number };
}> {
  const dir = mkdtempSync(join(tmpdir(), "cairn-chat-bench-"));
  const store = new SqliteStore({ path: join(dir, "cairn.db") });
  const deps: ServerDeps = {
    store,
    secrets: nodeSecrets,
    now: () => new Date(),
    newId: createIdGenerator(),
    chatModel: inProcessModel("instant", async () => ({
      content: [{ type: "text", text: "ok" }],
      finishReason: { unified: "stop", raw: "stop" },
      usage: noUsage,
      warnings: [],
    })),
  };
  const app = await createApp({
    deps,
    options: { bodyLimitBytes: 1 << 20, writesPerMinute: 1e9, readsPerMinute: 1e9, chatPerMinute: 1e9 },
  });
  try {
    await app.listen({ host: "127.0.0.1", port: 0 });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    const { user, token } = await createUser(deps, { name: "bench" });
    const at = new Date().toISOString();
    const conversationId = deps.newId();
    await store.system.transaction(async (tx) => {
      await tx
        .forUser(user.id)
        .createConversation({ id: conversationId, title: "bench", createdAt: at, updatedAt: at }, null);
      const rows: NewChatMessage[] = Array.from({ length: 1000 }, (_, index) => ({
        id: deps.newId(),
        conversationId,
        role: index % 2 === 0 ? "user" : "assistant",
        content: `message ${index} ${"lorem ipsum dolor sit amet ".repeat(8)}`,
        toolCalls: null,
        toolCallId: null,
        clientMessageId: null,
        status: "complete",
        error: null,
        createdAt: at,
      }));
      await tx.forUser(user.id).appendMessages(conversationId, rows, at);
    });
    const chatTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let index = 0; index < 50; index++) {
      await call(`${base}/api/me`, token, "GET");
      await call(
        `${base}/api/chat`,
        token,
        "POST",
        JSON.stringify({ message: "warm up", conversation_id: conversationId }),
      );
    }
    // Interleaved, so both see the same machine state.
    for (let index = 0; index < turns; index++) {
      bareTimes.push(await call(`${base}/api/me`, token, "GET"));
      chatTimes.push(
        await call(
          `${base}/api/chat`,
          token,
          "POST",
          JSON.stringify({ message: `turn ${index}`, conversation_id: conversationId }),
        ),
      );
    }
    return {
      chat: { p50: median(chatTimes), p99: percentile(chatTimes, 99) },
      bare: { p50: median(bareTimes), p99: percentile(bareTimes, 99) },
    };
  } finally {
    agent.destroy();
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
