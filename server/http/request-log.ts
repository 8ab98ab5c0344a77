import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./env.js";
import type { Logger } from "./logger.js";

/**
 * One line per request with its id. Only the path is logged, never the query string or
 * headers, so tokens and codes cannot end up in logs.
 */
export function requestLog(logger: Logger, now: () => number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const start = now();
    await next();
    logger.info("request", {
      requestId: c.get("requestId"),
      method: c.req.method,
      // Unsubscribe links carry a token in the path; it stays out of the log.
      path: c.req.path.replace(/\/unsubscribe\/[^/]+/, "/unsubscribe/…"),
      status: c.res.status,
      ms: now() - start,
    });
  };
}
