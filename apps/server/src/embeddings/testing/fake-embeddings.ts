import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { conceptVector } from "@cairn/core/embeddings/testing/concept-vectors";

export type FakeEmbeddingsMode = "ok" | "down" | "hang";

export interface FakeEmbeddings {
  /** Base URL to configure (ends in /v1). */
  url: string;
  mode: FakeEmbeddingsMode;
  /** Inputs of every answered request, in order. */
  inputs: string[][];
  /** Requests held open by "hang" mode right now. */
  readonly hanging: number;
  /** Answers the held requests (as the current mode says) and stops holding new ones. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A local HTTP server that speaks the OpenAI embeddings wire format
 * (POST /v1/embeddings, bearer auth, `input` a string or a list), answering
 * the deterministic concept vectors. `mode` makes it fail with 500s ("down")
 * or hold requests open ("hang") to test that neither writes nor searches
 * depend on it.
 */
export async function startFakeEmbeddings(apiKey = "embed-key"): Promise<FakeEmbeddings> {
  const held: (() => void)[] = [];
  const state: FakeEmbeddings = {
    url: "",
    mode: "ok",
    inputs: [],
    get hanging() {
      return held.length;
    },
    release() {
      state.mode = state.mode === "hang" ? "ok" : state.mode;
      for (const answer of held.splice(0)) answer();
    },
    close: async () => {},
  };
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const send = (status: number, body: unknown) => {
        if (response.destroyed) return;
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify(body));
      };
      if (request.method !== "POST" || !request.url?.endsWith("/embeddings")) {
        send(404, { error: { message: "not found", type: "invalid_request_error" } });
        return;
      }
      if (request.headers.authorization !== `Bearer ${apiKey}`) {
        send(401, { error: { message: "Incorrect API key provided", type: "invalid_request_error" } });
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { model: string; input: string | string[] };
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      const answer = () => {
        if (state.mode === "down") {
          send(500, { error: { message: "The server had an error", type: "server_error" } });
          return;
        }
        state.inputs.push(inputs);
        send(200, {
          object: "list",
          model: body.model,
          data: inputs.map((input, index) => ({ object: "embedding", index, embedding: conceptVector(input) })),
          usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
        });
      };
      if (state.mode === "hang") held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
