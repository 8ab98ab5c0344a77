import { Hono } from "hono";
import { etag } from "hono/etag";
import type { AppEnv } from "../http/env.js";
import { buildOpenApiDocument } from "./document.js";

/** `GET /api/v1/openapi.json`; the interactive reference at /api/docs/ reads it (served as static files). */
export function openApiRoutes(publicUrl: string | undefined) {
  const app = new Hono<AppEnv>();
  // Built on first use, not at start-up: most processes never serve it.
  let document: string | undefined;
  app.get("/api/v1/openapi.json", etag(), (c) => {
    document ??= JSON.stringify(buildOpenApiDocument(publicUrl));
    c.header("Cache-Control", "public, max-age=300");
    c.header("Access-Control-Allow-Origin", "*");
    return c.body(document, 200, { "Content-Type": "application/json; charset=utf-8" });
  });
  return app;
}
