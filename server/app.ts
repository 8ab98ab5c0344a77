import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import type { Store } from "./db/store.js";
import { healthRoutes } from "./health/routes.js";
import type { AppEnv } from "./http/env.js";
import { errorHandler, notFoundHandler } from "./http/error-handler.js";
import { AppError, preferredLang } from "./http/errors.js";
import { type Logger, jsonLogger } from "./http/logger.js";
import { requestLog } from "./http/request-log.js";
import type { Clock } from "./lib/clock.js";
import { resolveTenant, tenantCors } from "./tenants/middleware.js";
import type { TenantRegistry } from "./tenants/registry.js";
import { tenantRoutes } from "./tenants/routes.js";

/** The ports the app is built from; each runtime entry (node.ts, worker.ts) picks the adapters. */
export interface AppDeps {
  store: Store;
  clock: Clock;
  tenants: TenantRegistry;
  logger?: Logger;
  /** Public base URL of this API (links in configs and mails); defaults to the request's origin. */
  publicUrl?: string;
}

export function createApp(deps: AppDeps) {
  const logger = deps.logger ?? jsonLogger;
  const publicUrl = (requestUrl: string) => deps.publicUrl ?? new URL(requestUrl).origin;
  const app = new Hono<AppEnv>();

  app.use(requestId());
  app.use(requestLog(logger, () => deps.clock.now()));
  app.use(async (c, next) => {
    c.set("lang", preferredLang(c.req.header("accept-language")));
    await next();
  });
  app.use(
    "/api/*",
    bodyLimit({
      maxSize: 64 * 1024,
      onError: () => {
        throw AppError.of(413, "payload_too_large");
      },
    }),
  );

  app.route("/", healthRoutes(deps.store));

  const tenantScoped = new Hono<AppEnv>();
  tenantScoped.use(resolveTenant(deps.tenants));
  tenantScoped.use(tenantCors());
  tenantScoped.route("/", tenantRoutes(deps.store, publicUrl));
  app.route("/api/v1/tenants/:slug", tenantScoped);

  app.notFound(notFoundHandler);
  app.onError(errorHandler(logger));
  return app;
}

export type App = ReturnType<typeof createApp>;
