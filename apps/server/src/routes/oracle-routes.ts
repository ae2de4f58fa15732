import { askOracle, type OracleDeps } from "@cairn/agent/oracle/ask-oracle";
import { errorBody } from "@cairn/core/app-error";
import { api } from "@cairn/core/wire/api";
import type { FastifyInstance } from "fastify";
import { userOf } from "../auth";
import { toHttpError } from "../error-handler";
import { openEventStream } from "./event-stream";
import { route } from "./typed-route";

/**
 * `POST /api/oracle/ask` {question, project?, stream?}: an answer from memory
 * with checked citations, or `abstained: true`. With `stream: true`, server-sent
 * events: `text` deltas, then `done` with the same body (or `error`).
 */
export function oracleRoutes(app: FastifyInstance, deps: OracleDeps): void {
  route(app, api.ask, async ({ body: input }, request, reply) => {
    const userId = userOf(request).id;
    if (!input.stream) return askOracle(deps, userId, input);
    const { send, end } = openEventStream(request, reply);
    try {
      const answer = await askOracle(deps, userId, input, (delta) => send("text", { delta }));
      send("done", answer);
    } catch (error) {
      const appError = toHttpError(error);
      if (appError.code === "internal") request.log.error({ err: appError.cause ?? appError }, "internal error");
      send("error", errorBody(appError, request.id));
    }
    end();
    return reply;
  });
}
