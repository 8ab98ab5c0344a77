import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import { setHeader } from "../http/base-headers.js";
import { requestHeader } from "../http/request-headers.js";
import type { TenantRegistry } from "./registry.js";
import type { ServiceName } from "./schema.js";
import type { Tenant } from "./tenant.js";

/** The answer headers of a preflight from an allowed origin, apart from the origin itself. */
const preflightHeaders = {
  "Access-Control-Allow-Methods": "GET, POST, PUT, PATCH, DELETE, OPTIONS",
  "Access-Control-Allow-Headers": "Authorization, Content-Type, If-None-Match, Accept-Language, Idempotency-Key, X-Proof",
  "Access-Control-Max-Age": "600",
};
const exposeHeaders = "ETag, X-Request-Id, Retry-After, Content-Disposition";

/** The town's embed origins as a set, built once per loaded town rather than per request. */
const originSets = new WeakMap<Tenant, ReadonlySet<string>>();
function allowedOrigins(t: Tenant): ReadonlySet<string> {
  let set = originSets.get(t);
  if (!set) originSets.set(t, (set = new Set(t.config.allowedOrigins)));
  return set;
}

/**
 * Resolves `:slug` once per request (everything below reads `c.get("tenant")`) and applies the
 * town's CORS policy: exactly the requesting origin is echoed when it is on the town's list of
 * embed origins, and any other origin gets no CORS headers at all. Never a wildcard: these routes
 * carry bearer tokens. One middleware, as it runs on every page view of every town.
 */
export function tenantScope(registry: TenantRegistry): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const slug = c.req.param("slug") ?? "";
    const found = /^[a-z0-9-]{1,40}$/.test(slug) ? registry.bySlug(slug) : null;
    const tenant = found instanceof Promise ? await found : found;
    if (!tenant) throw AppError.of(404, "tenant_not_found");
    c.set("tenant", tenant);

    const origin = requestHeader(c, "origin");
    const allowed = origin !== undefined && allowedOrigins(tenant).has(origin);
    setHeader(c, "Vary", "Origin");
    if (c.req.method === "OPTIONS" && requestHeader(c, "access-control-request-method") !== undefined) {
      return c.body(null, 204, allowed ? { ...preflightHeaders, "Access-Control-Allow-Origin": origin } : {});
    }
    if (allowed) {
      setHeader(c, "Access-Control-Allow-Origin", origin);
      setHeader(c, "Access-Control-Expose-Headers", exposeHeaders);
    }
    await next();
  };
}

/** A service the town has not switched on does not exist there. */
export function requireService(service: ServiceName): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get("tenant").config.services.includes(service)) throw AppError.of(404, "not_found");
    await next();
  };
}
