import { Hono } from "hono";
import { etag } from "hono/etag";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import { decodeBase64 } from "@oslojs/encoding";
import { findTenantLogo, findTenantMailLogo } from "./repo.js";
import { publicTenantConfig } from "./tenant.js";

/** Public, cacheable reads of a town's configuration for the widget. */
export function tenantRoutes(store: Store, publicUrl: (requestUrl: string) => string) {
  const app = new Hono<AppEnv>();
  app.get("/", etag(), (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(publicTenantConfig(c.get("tenant"), publicUrl(c.req.url)));
  });
  app.get("/logo.svg", etag(), async (c) => {
    const svg = await findTenantLogo(store.db, c.get("tenant").id);
    if (svg === null) throw AppError.of(404, "not_found");
    c.header("Content-Type", "image/svg+xml; charset=utf-8");
    c.header("Cache-Control", "public, max-age=3600");
    // An SVG opened directly must not run anything, even if a town's file contains script.
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    c.header("Cross-Origin-Resource-Policy", "cross-origin");
    return c.body(svg);
  });
  app.get("/logo.png", etag(), async (c) => {
    const png = await findTenantMailLogo(store.db, c.get("tenant").id);
    if (png === null) throw AppError.of(404, "not_found");
    c.header("Content-Type", "image/png");
    c.header("Cache-Control", "public, max-age=3600");
    c.header("Cross-Origin-Resource-Policy", "cross-origin");
    return c.body(decodeBase64(png) as Uint8Array<ArrayBuffer>);
  });
  return app;
}
