import { parseInput } from "@cairn/core/validate";
import type { AnswerOf, Endpoint, ParsedInput } from "@cairn/core/wire/endpoint";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from "fastify";

/**
 * Registers one endpoint of the API table (core/wire/api.ts): its method and path, its params,
 * query and body parsed by its schemas (a bad one answers 422 naming the field), and a handler
 * whose answer the compiler checks against the endpoint's output. No route casts its input. A
 * handler that answers by hand (a stream of events, an error body of its own) returns the reply.
 */
export function route<E extends Endpoint>(
  app: FastifyInstance,
  definition: E,
  handler: (input: ParsedInput<E>, request: FastifyRequest, reply: FastifyReply) => Promise<AnswerOf<E> | FastifyReply>,
  options: Pick<RouteShorthandOptions, "config"> = {},
): void {
  const { params, query, body } = definition.input;
  app.route({
    method: definition.method,
    url: definition.path,
    ...options,
    handler: async (request, reply) => {
      const input = {
        params: params ? parseInput(params, request.params ?? {}) : undefined,
        query: query ? parseInput(query, request.query ?? {}) : undefined,
        body: body ? parseInput(body, request.body ?? {}) : undefined,
      } as ParsedInput<E>;
      const answer = await handler(input, request, reply);
      if (answer === reply) return reply;
      if (definition.status && !reply.sent) reply.code(definition.status);
      return answer;
    },
  });
}
