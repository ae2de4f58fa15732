import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createIdGenerator } from "@cairn/core/ids";
import { type RunningServer, startServer } from "@cairn/server/start-server";
import type { LocomoConversation } from "./load-locomo";

/** A client of the server's API with one token. */
export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/** A server holding the conversations, loaded through its API. */
export interface LoadedServer {
  server: RunningServer;
  api: Api;
  /** The LoCoMo turn (`D8:6`) each citation reference and each entry id stands for. */
  turnOfRef: Map<string, string>;
  turnOfId: Map<string, string>;
  /** How long the load took, in milliseconds. */
  loadedIn: number;
  close(): Promise<void>;
}

/** Starts a server on a new database (SQLite in a temporary directory, or `databaseUrl`) and loads the conversations. */
export async function loadedServer(
  conversations: LocomoConversation[],
  databaseUrl: string | undefined,
): Promise<LoadedServer> {
  const data = mkdtempSync(join(tmpdir(), "cairn-locomo-"));
  const server = await startServer({
    dataDir: data,
    port: 0,
    logLevel: "silent",
    writesPerMinute: 1_000_000,
    readsPerMinute: 1_000_000,
    chatPerMinute: 1_000_000,
    ...(databaseUrl ? { databaseUrl } : {}),
  });
  const close = async () => {
    await server.close();
    rmSync(data, { recursive: true, force: true });
  };
  try {
    const token = server.adminToken;
    if (token === null) throw new Error("The evaluation needs a new database (its first user's token)");
    const api = client(server.url, token);
    const started = Date.now();
    const turnOfRef = new Map<string, string>();
    const turnOfId = new Map<string, string>();
    for (const conversation of conversations) await load(api, conversation, turnOfRef, turnOfId);
    return { server, api, turnOfRef, turnOfId, loadedIn: Date.now() - started, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export function projectOf(conversation: LocomoConversation): string {
  return `locomo-${conversation.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`.slice(0, 64);
}

/** Writes a conversation: a thread per session, an entry per turn a second apart from the session's time. */
async function load(
  api: Api,
  conversation: LocomoConversation,
  turnOfRef: Map<string, string>,
  turnOfId: Map<string, string>,
): Promise<void> {
  const newId = createIdGenerator();
  const project = projectOf(conversation);
  for (const session of conversation.sessions) {
    const thread = `session-${session.index}`;
    const start = Date.parse(session.at);
    const entries = session.turns.map((turn, index) => {
      const id = newId();
      turnOfRef.set(`thread:${thread}#${id}`, turn.diaId);
      turnOfId.set(id, turn.diaId);
      return {
        id,
        content: turn.text,
        author: turn.speaker,
        createdAt: new Date(start + index * 1_000).toISOString(),
      };
    });
    for (let from = 0; from < entries.length; from += 500) {
      await api.post("/api/threads/sync", {
        project,
        thread,
        name: `Session ${session.index}`,
        entries: entries.slice(from, from + 500),
      });
    }
  }
}

/** A client of the server's API with one token. */
function client(url: string, token: string): Api {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  return { get: (path) => call("GET", path), post: (path, body) => call("POST", path, body) };
}
