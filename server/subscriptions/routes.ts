import { Hono } from "hono";
import { langOf } from "../http/request-context.js";
import { requireAuth, requireVerified } from "../accounts/auth.js";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import { jsonBody } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { requireService } from "../tenants/middleware.js";
import { subscriptionsInput } from "./inputs.js";
import { subscriptionService } from "./service.js";
import { unsubscribePage } from "./unsubscribe-page.js";

/** `me/subscriptions` for verified accounts, and the one-click unsubscribe link from mails. */
export function subscriptionRoutes(store: Store, clock: Clock, secret: string) {
  const subscriptions = subscriptionService({ store, clock, secret });
  const app = new Hono<AppEnv>();
  const verified = [requireAuth(store, clock), requireVerified] as const;

  // Mounted at "/" beside other routers: the switch covers this router's own paths only.
  // (me/subscriptions also sits under the accounts router's "/me/*", so it needs both services.)
  for (const path of ["/me/subscriptions", "/unsubscribe/*"]) app.use(path, requireService("news"));

  app.get("/me/subscriptions", ...verified, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await subscriptions.read(c.get("tenant"), c.get("auth").account));
  });

  app.put("/me/subscriptions", ...verified, async (c) => {
    const input = await jsonBody(c, subscriptionsInput);
    return c.json(await subscriptions.replace(c.get("tenant"), c.get("auth").account, input));
  });

  /**
   * RFC 8058: mail clients POST here without login. A GET (a person clicking the link, or a
   * scanner prefetching it) only shows a confirmation button, so prefetching unsubscribes nobody.
   */
  app.get("/unsubscribe/:token", async (c) => {
    c.header("Cache-Control", "no-store");
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    c.header("Referrer-Policy", "no-referrer");
    const valid = await subscriptions.isValidToken(c.get("tenant"), c.req.param("token"));
    return c.html(unsubscribePage(c.get("tenant"), valid ? "confirm" : "invalid", langOf(c)), valid ? 200 : 404);
  });

  app.post("/unsubscribe/:token", async (c) => {
    c.header("Cache-Control", "no-store");
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    c.header("Referrer-Policy", "no-referrer");
    const tenant = c.get("tenant");
    const wantsJson = c.req.header("accept")?.includes("application/json") ?? false;
    try {
      await subscriptions.unsubscribe(tenant, c.req.param("token"));
    } catch (e) {
      // A JSON client gets the standard error envelope from the error handler; a person, a page.
      if (wantsJson || !(e instanceof AppError && e.status === 404)) throw e;
      return c.html(unsubscribePage(tenant, "invalid", langOf(c)), 404);
    }
    return wantsJson ? c.json({ status: "unsubscribed" }) : c.html(unsubscribePage(tenant, "done", langOf(c)));
  });
  return app;
}
