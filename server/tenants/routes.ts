import { Hono } from "hono";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import type { PublicAnswers } from "../http/public-answers.js";
import { decodeBase64 } from "@oslojs/encoding";
import { findTenantLogo, findTenantMailLogo } from "./repo.js";
import { publicTenantConfig } from "./tenant.js";

/** Public, cacheable reads of a town's configuration for the widget; built once per town version. */
export function tenantRoutes(store: Store, publicUrl: (requestUrl: string) => string, answers: PublicAnswers) {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => {
    const apiBase = publicUrl(c.req.url);
    return answers.respond(c, `config@${apiBase}`, () => ({
      body: JSON.stringify(publicTenantConfig(c.get("tenant"), apiBase)),
      headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=60" },
    }));
  });
  app.get("/logo.svg", (c) =>
    answers.respond(c, "logo.svg", async () => {
      const svg = await findTenantLogo(store.db, c.get("tenant").id);
      if (svg === null) throw AppError.of(404, "not_found");
      return {
        body: svg,
        headers: {
          "Content-Type": "image/svg+xml; charset=utf-8",
          "Cache-Control": "public, max-age=3600",
          // An SVG opened directly must not run anything, even if a town's file contains script.
          "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
          "Cross-Origin-Resource-Policy": "cross-origin",
        },
      };
    }),
  );
  app.get("/logo.png", (c) =>
    answers.respond(c, "logo.png", async () => {
      const png = await findTenantMailLogo(store.db, c.get("tenant").id);
      if (png === null) throw AppError.of(404, "not_found");
      return {
        body: decodeBase64(png),
        headers: { "Content-Type": "image/png", "Cache-Control": "public, max-age=3600", "Cross-Origin-Resource-Policy": "cross-origin" },
      };
    }),
  );
  return app;
}
