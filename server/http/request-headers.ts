import type { Context } from "hono";

/** What the Node adapter passes as the app's env: the request as Node parsed it. */
interface NodeBindings {
  incoming?: { headers: Record<string, string | string[] | undefined> };
}

/**
 * One request header, by lower-case name. On Node it is read from the headers Node has already
 * parsed: `c.req.header()` would first copy every header into a web `Headers` object, which costs
 * a public read more than the rest of its answer. Elsewhere (Workers, tests) it is the same call.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
}

