import { Hono } from "hono";
import type { AppEnv } from "../http/env.js";

export interface DevInbox {
  mails(): unknown[];
  sms(): unknown[];
}

/**
 * Development only: what the local mail catcher and the SMS dev outbox received, newest
 * first, so people trying the demo can read their codes. Never mounted in production.
 */
export function devRoutes(inbox: DevInbox) {
  const app = new Hono<AppEnv>();
  // Scoped to /dev/*: mounted at "/", a bare `use` would make every public route no-store.
  app.use("/dev/*", async (c, next) => {
    await next();
    c.header("Cache-Control", "no-store");
  });
  app.get("/dev/mail", (c) => c.json(inbox.mails()));
  app.get("/dev/sms", (c) => c.json(inbox.sms()));
  return app;
}
