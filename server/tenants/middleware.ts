import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import type { TenantRegistry } from "./registry.js";
import type { ServiceName } from "./schema.js";

/** Resolves `:slug` once per request; everything below it reads `c.get("tenant")`. */
export function resolveTenant(registry: TenantRegistry): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const slug = c.req.param("slug") ?? "";
    const tenant = /^[a-z0-9-]{1,40}$/.test(slug) ? await registry.bySlug(slug) : null;
    if (!tenant) throw AppError.of(404, "tenant_not_found");
    c.set("tenant", tenant);
    await next();
  };
}

const allowMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
const allowHeaders = "Authorization, Content-Type, If-None-Match, Accept-Language";
const exposeHeaders = "ETag, X-Request-Id, Retry-After, Content-Disposition";

/**
 * CORS from the town's own list of embed origins: exactly the requesting origin is echoed
 * when it is on the list, and any other origin gets no CORS headers at all. Never a wildcard:
 * these routes carry bearer tokens.
 */
export function tenantCors(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    const allowed = origin !== undefined && c.get("tenant").config.allowedOrigins.includes(origin);
    const isPreflight = c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined;
    if (isPreflight) {
      const headers = new Headers({ Vary: "Origin" });
      if (allowed) {
        headers.set("Access-Control-Allow-Origin", origin);
        headers.set("Access-Control-Allow-Methods", allowMethods);
        headers.set("Access-Control-Allow-Headers", allowHeaders);
        headers.set("Access-Control-Max-Age", "600");
      }
      return new Response(null, { status: 204, headers });
    }
    c.header("Vary", "Origin", { append: true });
    if (allowed) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Expose-Headers", exposeHeaders);
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
