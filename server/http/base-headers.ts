import type { Context } from "hono";
import type { AppEnv } from "./env.js";

/*
 * Headers every answer carries (request id, security defaults, CORS) are collected in a plain
 * object while the request passes the middleware (http/request-context.ts) instead of with
 * `c.header()`: that builds a web `Headers` object per request, and public reads answer more
 * cheaply without one. Answers built by `respond()` (http/public-answers.ts) take the object as
 * they are built; every other answer gets the headers added at the end.
 */

/** Adds a header to the request's answer, whichever way the answer is built. */
export function setHeader(c: Context<AppEnv>, name: string, value: string): void {
  c.get("headers")[name] = value;
}

/** For an answer built as a plain `Response` that already contains `c.get("headers")`. */
export function headersApplied(c: Context<AppEnv>): void {
  c.set("headersApplied", true);
}
