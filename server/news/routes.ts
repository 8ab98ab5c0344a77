import { Hono } from "hono";
import { etag } from "hono/etag";
import { requireAuth, requireRole } from "../accounts/auth.js";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { jsonBody, parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { requireService } from "../tenants/middleware.js";
import { createNewsInput, feedQuery, listNewsQuery, updateNewsInput } from "./inputs.js";
import type { NewsService } from "./service.js";

/** `news…` under /api/v1/tenants/{slug}/: public reads, staff writes. HTTP only; the rules are in the service. */
export function newsRoutes(store: Store, clock: Clock, news: NewsService) {
  const app = new Hono<AppEnv>();
  // The router switches itself off for towns without news. Only its own paths: it is mounted
  // at "/" beside other features' routers, where "*" would reach their routes too.
  for (const path of ["/news", "/news/*"]) app.use(path, requireService("news"));
  const staff = [requireAuth(store, clock), requireRole("staff", "admin")] as const;
  const publicCache = "public, max-age=30";

  app.get("/news", etag(), async (c) => {
    const page = await news.list(c.get("tenant"), parseWith(listNewsQuery, c.req.query()));
    c.header("Cache-Control", publicCache);
    return c.json(page);
  });

  app.get("/news/feed.atom", etag(), async (c) => {
    const { topic } = parseWith(feedQuery, c.req.query());
    const feed = await news.feed(c.get("tenant"), c.req.url, topic);
    c.header("Content-Type", "application/atom+xml; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(feed);
  });

  app.get("/news/manage", ...staff, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await news.listForStaff(c.get("tenant")));
  });

  app.get("/news/:id", etag(), async (c) => {
    const item = await news.findPublished(c.get("tenant"), c.req.param("id"));
    c.header("Cache-Control", publicCache);
    return c.json(item);
  });

  app.post("/news", ...staff, async (c) => {
    const input = await jsonBody(c, createNewsInput);
    return c.json(await news.create(c.get("tenant"), c.get("auth").account, input), 201);
  });
  app.patch("/news/:id", ...staff, async (c) => {
    const input = await jsonBody(c, updateNewsInput);
    return c.json(await news.update(c.get("tenant"), c.req.param("id"), input));
  });
  app.delete("/news/:id", ...staff, async (c) => {
    await news.remove(c.get("tenant"), c.req.param("id"));
    return c.body(null, 204);
  });
  app.post("/news/:id/publish", ...staff, async (c) => c.json(await news.publish(c.get("tenant"), c.req.param("id"))));
  app.post("/news/:id/unpublish", ...staff, async (c) => c.json(await news.unpublish(c.get("tenant"), c.req.param("id"))));
  return app;
}
