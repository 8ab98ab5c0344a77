import type { Context, MiddlewareHandler } from "hono";
import { type ClientAddressOptions, clientSubject } from "./client-ip.js";
import type { AppEnv } from "./env.js";
import { type Lang, preferredLang } from "./errors.js";
import { requestHeader } from "./request-headers.js";
import type { Logger } from "./logger.js";

/**
 * What every request gets, in one middleware because it runs on every page view of every town:
 * - an `X-Request-Id` of our own (an id sent by the client would let anyone write into the log
 *   what a lookup finds), on the answer and in its log line;
 * - the security defaults: browsers must not guess a JSON or download as HTML, and links followed
 *   from an API page (unsubscribe, docs) must not carry its URL, which may hold a token;
 * - the client's rate-limit subject, worked out when a route asks for it;
 * - one log line after the answer, with the path but never the query, headers or an unsubscribe
 *   token, so secrets cannot end up in logs.
 *
 * Headers for the answer are collected in a plain object, not with `c.header()`, which builds a
 * web `Headers` object per request; see http/base-headers.ts.
 */
export function requestContext(opts: { logger: Logger; now: () => number; clientAddress: ClientAddressOptions }): MiddlewareHandler<AppEnv> {
  const { logger, now } = opts;
  return async (c, next) => {
    const start = now();
    const id = crypto.randomUUID();
    const headers: Record<string, string> = { "X-Request-Id": id, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer" };
    c.set("requestId", id);
    c.set("headers", headers);
    // The peer is taken now (cheap; the socket may be gone by the time a route asks), parsed later.
    const peer = opts.clientAddress.peer(c);
    let subject: string | undefined;
    c.set("clientIp", () => (subject ??= clientSubject(c, opts.clientAddress, peer)));
    await next();
    if (!c.get("headersApplied")) {
      const own = c.res.headers;
      // A route's own value (a stricter Referrer-Policy) stays; Vary lists both.
      for (const name in headers) {
        if (!own.has(name)) own.set(name, headers[name]!);
        else if (name === "Vary") own.append(name, headers[name]!);
      }
    }
    logger.request({
      requestId: id,
      method: c.req.method,
      path: loggedPath(c),
      status: c.res.status,
      ms: now() - start,
    });
  };
}

/** The language of the answer, from Accept-Language; read when a route needs it (public reads do not). */
export function langOf(c: Context): Lang {
  return preferredLang(requestHeader(c, "accept-language"));
}

/** The request's path as logs may show it: unsubscribe links carry a token in the path, which stays out. */
export function loggedPath(c: Context): string {
  return c.req.path.replace(/\/unsubscribe\/[^/]+/, "/unsubscribe/…");
}
