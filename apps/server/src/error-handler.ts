import { AppError, codeForStatus, type ErrorCode, errorBody, isAppError } from "@cairn/core/app-error";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

/** Fastify's own errors, by code, mapped onto the one code table. */
const frameworkCodes: Record<string, ErrorCode> = {
  FST_ERR_BAD_URL: "bad_request",
  FST_ERR_MAX_PARAM_LENGTH: "uri_too_long",
  FST_ERR_CTP_INVALID_JSON_BODY: "malformed_json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "malformed_json",
  FST_ERR_CTP_BODY_TOO_LARGE: "payload_too_large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "bad_request",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "bad_request",
};

/** Converts anything a route throws into an AppError; unknown faults stay `internal`, with their cause. */
export function toHttpError(error: unknown): AppError {
  if (isAppError(error)) return error;
  const fastifyError = error as Partial<FastifyError>;
  const mapped = fastifyError.code ? frameworkCodes[fastifyError.code] : undefined;
  if (mapped) return new AppError(mapped, fastifyError.message ?? mapped, { cause: error });
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new AppError("malformed_json", "The request body is not valid JSON", { cause: error });
  }
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new AppError(codeForStatus(status), fastifyError.message ?? "Bad request", { cause: error });
  }
  return new AppError("internal", "Internal error", { cause: error });
}

/** What the framework says of them, in words a client can act on. */
const frameworkMessages: Record<string, string> = {
  FST_ERR_BAD_URL: "The URL's percent-encoding is not valid",
  FST_ERR_MAX_PARAM_LENGTH: "A part of the URL's path is over 100 characters",
};

/**
 * Errors the framework meets before a route (a URL it cannot decode, a path part over its
 * length limit): the same body as every other error (Fastify's `frameworkErrors`).
 */
export function handleFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const code = frameworkCodes[error.code] ?? "bad_request";
  const message = frameworkMessages[error.code] ?? error.message;
  reply.header("x-request-id", request.id);
  handleError(new AppError(code, message, { cause: error }), request, reply);
}

/**
 * A request Node could not read at all (headers over the limit, a body shorter than its
 * Content-Length, one too slow to arrive): answered on the socket, since there is no request
 * to reply to, in the one error body, with a request id (Fastify's `clientErrorHandler`).
 */
export function handleClientError(
  error: NodeJS.ErrnoException,
  socket: { writable: boolean; destroyed: boolean; write(text: string): void; destroy(error?: Error): void },
  requestId: string,
): void {
  // A reset connection has nobody left to answer.
  if (error.code === "ECONNRESET" || socket.destroyed) return;
  const [code, message]: [ErrorCode, string] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? ["headers_too_large", "The request's headers are over 16 KiB"]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? ["request_timeout", "The request did not arrive whole in time"]
        : ["bad_request", "The request could not be read (a body shorter than its Content-Length, or malformed HTTP)"];
  const appError = new AppError(code, message, { cause: error });
  const body = JSON.stringify(errorBody(appError, requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${appError.status} ${statusText[appError.status] ?? "Error"}\r\n` +
        `content-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\n` +
        `x-request-id: ${requestId}\r\nconnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

const statusText: Record<number, string> = {
  400: "Bad Request",
  408: "Request Timeout",
  431: "Request Header Fields Too Large",
};

/** The one error body everywhere; internal errors are logged with their cause and never shown. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toHttpError(error);
  if (appError.code === "internal") {
    request.log.error({ err: appError.cause ?? appError }, "internal error");
  }
  return reply.status(appError.status).send(errorBody(appError, request.id));
}
