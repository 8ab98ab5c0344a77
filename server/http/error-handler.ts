import type { ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./env.js";
import { AppError, errorBody } from "./errors.js";
import type { Logger } from "./logger.js";
import { langOf, loggedPath } from "./request-context.js";

/** Hono's own exceptions (body limit, malformed bodies, 401 from helpers) keep their status and get a matching code. */
function fromHttpException(e: HTTPException): AppError {
  switch (e.status) {
    case 400:
      return AppError.of(400, "bad_request");
    case 401:
      return AppError.of(401, "unauthorized");
    case 403:
      return AppError.of(403, "forbidden");
    case 404:
      return AppError.of(404, "not_found");
    case 405:
      return AppError.of(405, "method_not_allowed");
    case 413:
      return AppError.of(413, "payload_too_large");
    case 415:
      return AppError.of(415, "unsupported_media_type");
    case 429:
      return AppError.of(429, "rate_limited");
  }
  return e.status >= 400 && e.status < 500 ? AppError.of(400, "bad_request") : AppError.of(500, "internal_error");
}

/** The single exit for failures: every error leaves as `{"error": {code, message, …}}`. */
export function errorHandler(logger: Logger): ErrorHandler<AppEnv> {
  return (err, c) => {
    const lang = langOf(c);
    let appError: AppError;
    if (err instanceof AppError) appError = err;
    else if (err instanceof HTTPException) appError = fromHttpException(err);
    else {
      logger.error("unhandled_error", {
        requestId: c.get("requestId"),
        method: c.req.method,
        path: loggedPath(c),
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      });
      appError = AppError.of(500, "internal_error");
    }
    for (const [k, v] of Object.entries(appError.headers ?? {})) c.header(k, v);
    return c.json(errorBody(appError, lang), appError.status);
  };
}

export const notFoundHandler: NotFoundHandler<AppEnv> = (c) =>
  c.json(errorBody(AppError.of(404, "not_found"), langOf(c)), 404);
