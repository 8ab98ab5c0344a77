import { Hono } from "hono";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";

export function healthRoutes(store: Store) {
  const app = new Hono<AppEnv>();
  app.get("/healthz", async (c) => {
    try {
      await store.ping();
    } catch {
      throw AppError.of(503, "unavailable");
    }
    c.header("Cache-Control", "no-store");
    return c.json({ status: "ok" });
  });
  return app;
}
