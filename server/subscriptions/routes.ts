import { Hono } from "hono";
import { z } from "zod";
import { requireAuth, requireVerified } from "../accounts/auth.js";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { jsonBody } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { unknownTopics } from "../news/topics.js";
import { readSubscriptions, replaceSubscriptions, unsubscribe } from "./repo.js";
import { readUnsubscribeToken } from "./unsubscribe-token.js";
import { unsubscribePage } from "./unsubscribe-page.js";

const subscriptionsInput = z
  .object({
    topics: z.array(z.string().max(40)).max(50),
    smsAlerts: z.boolean(),
  })
  .strict();

/** `me/subscriptions` for verified accounts, and the one-click unsubscribe link from mails. */
export function subscriptionRoutes(store: Store, clock: Clock, secret: string) {
  const app = new Hono<AppEnv>();
  const verified = [requireAuth(store, clock), requireVerified] as const;

  app.get("/me/subscriptions", ...verified, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await readSubscriptions(store.db, c.get("tenant").id, c.get("auth").account));
  });

  app.put("/me/subscriptions", ...verified, async (c) => {
    const input = await jsonBody(c, subscriptionsInput);
    const topics = [...new Set(input.topics)];
    unknownTopics(c.get("tenant"), topics);
    const account = c.get("auth").account;
    await store.atomic(replaceSubscriptions(store.db, c.get("tenant").id, account.id, topics, input.smsAlerts, clock.now()));
    return c.json({ topics, smsAlerts: input.smsAlerts });
  });

  /**
   * RFC 8058: mail clients POST here without login. The token, not a session, names the
   * account and topics. A GET (a person clicking the link, or a scanner prefetching it)
   * only shows a confirmation button, so prefetching unsubscribes nobody.
   */
  app.get("/unsubscribe/:token", async (c) => {
    c.header("Cache-Control", "no-store");
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
    c.header("Referrer-Policy", "no-referrer");
    const valid = (await readUnsubscribeToken(secret, c.req.param("token")))?.tenantId === c.get("tenant").id;
    return c.html(unsubscribePage(c.get("tenant"), valid ? "confirm" : "invalid", c.get("lang")), valid ? 200 : 404);
  });

  app.post("/unsubscribe/:token", async (c) => {
    c.header("Cache-Control", "no-store");
    c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
    c.header("Referrer-Policy", "no-referrer");
    const tenant = c.get("tenant");
    const payload = await readUnsubscribeToken(secret, c.req.param("token"));
    const ok = payload !== null && payload.tenantId === tenant.id;
    if (ok) await unsubscribe(store.db, tenant.id, payload.accountId, payload.topics);
    if (c.req.header("accept")?.includes("application/json")) {
      return ok ? c.json({ status: "unsubscribed" }) : c.json({ error: { code: "not_found" } }, 404);
    }
    return c.html(unsubscribePage(tenant, ok ? "done" : "invalid", c.get("lang")), ok ? 200 : 404);
  });
  return app;
}
