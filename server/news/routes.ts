import { Hono, type MiddlewareHandler } from "hono";
import { requireAuth, requireRole } from "../accounts/auth.js";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import type { PublicAnswers } from "../http/public-answers.js";
import { jsonBody, parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { requireService } from "../tenants/middleware.js";
import { createNewsInput, feedQuery, listNewsQuery, updateNewsInput } from "./inputs.js";
import type { NewsService } from "./service.js";

/** `news…` under /api/v1/tenants/{slug}/: public reads, staff writes. HTTP only; the rules are in the service. */
export function newsRoutes(store: Store, clock: Clock, news: NewsService, answers: PublicAnswers, publicUrl: (requestUrl: string) => string) {
  const app = new Hono<AppEnv>();
  // The router switches itself off for towns without news. Only its own paths: it is mounted
  // at "/" beside other features' routers, where "*" would reach their routes too.
  for (const path of ["/news", "/news/*"]) app.use(path, requireService("news"));
  const staff = [requireAuth(store, clock), requireRole("staff", "admin")] as const;
  const publicCache = "public, max-age=30";

  // Public reads are built once per town version and query; see http/public-answers.ts.
  app.get("/news", (c) => {
    // Most page views ask without a query string: nothing to validate, and one constant key.
    const q = c.req.url.includes("?") ? parseWith(listNewsQuery, c.req.query()) : {};
    const build = async () => ({
      body: JSON.stringify(await news.list(c.get("tenant"), q)),
      headers: { "Content-Type": "application/json", "Cache-Control": publicCache },
    });
    // Later pages and topics the town does not have are open-ended: answered, but not stored.
    if (q.cursor !== undefined || (q.topic !== undefined && !c.get("tenant").config.topics.some((t) => t.id === q.topic))) return answers.respondUncached(c, build);
    const key = q.topic === undefined && q.limit === undefined ? "news" : `news?${JSON.stringify([q.topic, q.limit])}`;
    return answers.respond(c, key, build);
  });

  app.get("/news/feed.atom", (c) => {
    const { topic } = parseWith(feedQuery, c.req.query());
    // The feed names its own address; built from the validated query, not echoed from the request.
    const self = `${publicUrl(c.req.url)}/api/v1/tenants/${c.get("tenant").slug}/news/feed.atom${topic === undefined ? "" : `?topic=${encodeURIComponent(topic)}`}`;
    return answers.respond(c, `feed@${self}`, async () => ({
      body: await news.feed(c.get("tenant"), self, topic),
      headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
    }));
  });

  staffNews(app, news, { list: "/news/manage", base: "/news" }, staff);

  app.get("/news/:id", (c) => {
    const id = c.req.param("id");
    return answers.respond(c, `news/${id}`, async () => ({
      body: JSON.stringify(await news.findPublished(c.get("tenant"), id)),
      headers: { "Content-Type": "application/json", "Cache-Control": publicCache },
    }));
  });

  return app;
}

/**
 * The newsroom's writes, for the widget (bearer token, `news/…`) and for the office (cookie
 * session with CSRF token, `office/news/…`): the same service behind either login.
 */
export function staffNews(app: Hono<AppEnv>, news: NewsService, paths: { list: string; base: string }, guards: ReadonlyArray<MiddlewareHandler<AppEnv>>) {
  const g = guards as [MiddlewareHandler<AppEnv>, ...MiddlewareHandler<AppEnv>[]];
  app.get(paths.list, ...g, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(await news.listForStaff(c.get("tenant")));
  });
  app.post(paths.base, ...g, async (c) => {
    const input = await jsonBody(c, createNewsInput);
    return c.json(await news.create(c.get("tenant"), c.get("auth").account, input), 201);
  });
  app.patch(`${paths.base}/:id`, ...g, async (c) => {
    const input = await jsonBody(c, updateNewsInput);
    return c.json(await news.update(c.get("tenant"), c.req.param("id"), input));
  });
  app.delete(`${paths.base}/:id`, ...g, async (c) => {
    await news.remove(c.get("tenant"), c.req.param("id"));
    return c.body(null, 204);
  });
  app.post(`${paths.base}/:id/publish`, ...g, async (c) => c.json(await news.publish(c.get("tenant"), c.req.param("id"))));
  app.post(`${paths.base}/:id/unpublish`, ...g, async (c) => c.json(await news.unpublish(c.get("tenant"), c.req.param("id"))));
}
