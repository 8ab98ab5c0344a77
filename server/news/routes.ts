import { Hono } from "hono";
import { etag } from "hono/etag";
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { requireAuth, requireRole } from "../accounts/auth.js";
import type { Store } from "../db/store.js";
import type { AppEnv } from "../http/env.js";
import { AppError } from "../http/errors.js";
import { jsonBody, parseWith } from "../http/validate.js";
import type { Clock } from "../lib/clock.js";
import { atomFeed } from "./feed.js";
import { createNewsInput, listNewsQuery, updateNewsInput } from "./inputs.js";
import { publicNewsItem, publicNewsSummary, staffNewsItem } from "./news.js";
import { type Cursor, listAllForStaff, listPublished } from "./repo.js";
import type { NewsService } from "./service.js";

function encodeCursor(c: Cursor) {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify([c.publishedAt, c.id])));
}

function decodeCursor(s: string): Cursor {
  try {
    const [publishedAt, id] = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(s))) as [unknown, unknown];
    if (typeof publishedAt === "number" && typeof id === "string") return { publishedAt, id };
  } catch {
    // fall through to the validation error
  }
  throw AppError.of(400, "validation_failed", { cursor: { code: "invalid", messages: { de: "Ungültige Seitenangabe.", en: "Invalid page cursor." } } });
}

/** `news…` under /api/v1/tenants/{slug}/: public reads, staff writes. */
export function newsRoutes(store: Store, clock: Clock, news: NewsService) {
  const app = new Hono<AppEnv>();
  const staff = [requireAuth(store, clock), requireRole("staff", "admin")] as const;
  const publicCache = "public, max-age=30";

  app.get("/news", etag(), async (c) => {
    const q = parseWith(listNewsQuery, c.req.query());
    const limit = q.limit ?? 20;
    const rows = await listPublished(store.db, c.get("tenant").id, {
      limit: limit + 1,
      ...(q.topic ? { topic: q.topic } : {}),
      ...(q.cursor ? { cursor: decodeCursor(q.cursor) } : {}),
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    c.header("Cache-Control", publicCache);
    return c.json({
      items: page.map(publicNewsSummary),
      nextCursor: rows.length > limit && last ? encodeCursor({ publishedAt: last.published_at!, id: last.id }) : null,
    });
  });

  app.get("/news/feed.atom", etag(), async (c) => {
    const topic = c.req.query("topic");
    const tenant = c.get("tenant");
    if (topic !== undefined && !tenant.config.topics.some((t) => t.id === topic)) throw AppError.of(404, "not_found");
    const rows = await listPublished(store.db, tenant.id, { limit: 50, ...(topic ? { topic } : {}) });
    c.header("Content-Type", "application/atom+xml; charset=utf-8");
    c.header("Cache-Control", "public, max-age=300");
    return c.body(atomFeed(tenant, rows, c.req.url, topic));
  });

  app.get("/news/manage", ...staff, async (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ items: (await listAllForStaff(store.db, c.get("tenant").id)).map(staffNewsItem) });
  });

  app.get("/news/:id", etag(), async (c) => {
    const item = await news.mustFind(c.get("tenant"), c.req.param("id"));
    // Drafts and scheduled items do not exist for the public.
    if (item.status !== "published") throw AppError.of(404, "not_found");
    c.header("Cache-Control", publicCache);
    return c.json(publicNewsItem(item));
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
