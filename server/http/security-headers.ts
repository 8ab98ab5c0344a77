import type { MiddlewareHandler } from "hono";

/**
 * On every answer of the API: browsers must not guess a JSON or download as HTML, and links
 * followed from an API page (unsubscribe, docs) must not carry its URL, which may hold a token.
 * Routes that need something stricter set it themselves; this only fills what is missing.
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (!c.res.headers.has("X-Content-Type-Options")) c.header("X-Content-Type-Options", "nosniff");
    if (!c.res.headers.has("Referrer-Policy")) c.header("Referrer-Policy", "no-referrer");
  };
}
