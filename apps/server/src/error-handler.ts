import { AppError, codeForStatus, type ErrorCode, errorBody, isAppError } from "@cairn/core/app-error";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";

/** Fastify's own errors, by code, mapped onto the one code table. */
const frameworkCodes: Record<string, ErrorCode> = {
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

/** The one error body everywhere; internal errors are logged with their cause and never shown. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toHttpError(error);
  if (appError.code === "internal") {
    request.log.error({ err: appError.cause ?? appError }, "internal error");
  }
  return reply.status(appError.status).send(errorBody(appError, request.id));
}
