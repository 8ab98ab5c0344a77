import type { Compilable } from "kysely";
import type { Store } from "../db/store.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import { bumpContentVersion } from "../tenants/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { atomFeed } from "./feed.js";
import type { CreateNewsInput, ListNewsQuery, UpdateNewsInput } from "./inputs.js";
import { imageOriginsOf, renderMarkdown } from "./markdown.js";
import { type NewsItem, type NewsItemPublic, type NewsPage, type StaffNewsItem, type StaffNewsList, publicNewsItem, publicNewsSummary, staffNewsItem } from "./news.js";
import { type NewsPatch, deleteNews, findNews, insertNews, listAllForStaff, listPublished, updateNews, withdrawNewsMessages } from "./repo.js";
import { unknownTopics } from "./topics.js";

export interface NewsDeps {
  store: Store;
  clock: Clock;
  /** Wakes the background fan-out and dispatcher after a publish. */
  onPublished: () => void;
  /** The town's public reads changed (its content version was raised); this process re-reads the town. */
  onPublicChange: (tenantId: string) => void;
}

/** Items per feed: what feed readers poll, not an archive. */
const feedSize = 50;

/** What the public reads and what staff do with news: write drafts, edit, publish now or at a time, withdraw, delete. */
export function newsService(deps: NewsDeps) {
  const { store, clock } = deps;
  const db = store.db;

  async function mustFind(tenant: Tenant, id: string): Promise<NewsItem> {
    const item = await findNews(db, tenant.id, id);
    // Another town's id is simply not found here.
    if (!item) throw AppError.of(404, "not_found");
    return item;
  }

  /** A write that may change what the public reads, together with the version raise that makes caches let go. */
  async function changePublic(tenant: Tenant, ...writes: Compilable[]): Promise<void> {
    await store.atomic([...writes, bumpContentVersion(db, tenant.id, clock.now())]);
    deps.onPublicChange(tenant.id);
  }

  const render = (tenant: Tenant, body: string) => renderMarkdown(body, { imageOrigins: imageOriginsOf(tenant) });
  const distinct = (topics: ReadonlyArray<string>) => [...new Set(topics)];

  return {
    /** Published items, newest first, a page at a time. */
    async list(tenant: Tenant, q: ListNewsQuery): Promise<NewsPage> {
      const limit = q.limit ?? 20;
      const items = await listPublished(db, tenant.id, {
        // One more than asked tells whether another page follows.
        limit: limit + 1,
        ...(q.topic ? { topic: q.topic } : {}),
        ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
      });
      const page = items.slice(0, limit);
      const last = page[page.length - 1];
      return {
        items: page.map(publicNewsSummary),
        nextCursor: items.length > limit && last && last.publishedAt !== null ? encodeCursor({ publishedAt: last.publishedAt, id: last.id }) : null,
      };
    },

    /** The town's Atom feed, or one topic's; an unknown topic is a 404 like any unknown address. */
    async feed(tenant: Tenant, selfUrl: string, topic?: string): Promise<string> {
      if (topic !== undefined && !tenant.config.topics.some((t) => t.id === topic)) throw AppError.of(404, "not_found");
      const items = await listPublished(db, tenant.id, { limit: feedSize, ...(topic ? { topic } : {}) });
      return atomFeed(tenant, items, selfUrl, topic);
    },

    /** One published item; drafts and scheduled items do not exist for the public. */
    async findPublished(tenant: Tenant, id: string): Promise<NewsItemPublic> {
      const item = await mustFind(tenant, id);
      if (item.status !== "published") throw AppError.of(404, "not_found");
      return publicNewsItem(item);
    },

    async listForStaff(tenant: Tenant): Promise<StaffNewsList> {
      return { items: (await listAllForStaff(db, tenant.id)).map(staffNewsItem) };
    },

    async create(tenant: Tenant, author: { id: string }, input: CreateNewsInput): Promise<StaffNewsItem> {
      unknownTopics(tenant, input.topics);
      const now = clock.now();
      const item: NewsItem = {
        tenantId: tenant.id,
        id: randomId("n"),
        title: input.title,
        summary: input.summary,
        body: input.body,
        bodyHtml: render(tenant, input.body),
        topics: distinct(input.topics),
        urgent: input.urgent ?? false,
        status: "draft",
        publishAt: input.publishAt ?? null,
        publishedAt: null,
        fannedOutAt: null,
        fanoutCursor: null,
        createdBy: author.id,
        createdAt: now,
        updatedAt: now,
      };
      await insertNews(db, item).execute();
      return staffNewsItem(item);
    },

    /** Edits never re-send: subscribers got the item once; the website shows the new text. */
    async update(tenant: Tenant, id: string, input: UpdateNewsInput): Promise<StaffNewsItem> {
      const item = await mustFind(tenant, id);
      if (input.topics) unknownTopics(tenant, input.topics);
      const set: NewsPatch = { updatedAt: clock.now() };
      if (input.title !== undefined) set.title = input.title;
      if (input.summary !== undefined) set.summary = input.summary;
      if (input.body !== undefined) {
        set.body = input.body;
        set.bodyHtml = render(tenant, input.body);
      }
      if (input.topics !== undefined) set.topics = distinct(input.topics);
      if (input.urgent !== undefined) set.urgent = input.urgent;
      if (input.publishAt !== undefined) {
        set.publishAt = input.publishAt;
        // A scheduled item without a time would wait forever: it becomes a draft again.
        if (input.publishAt === null && item.status === "scheduled") set.status = "draft";
      }
      await changePublic(tenant, updateNews(db, tenant.id, id, set));
      return staffNewsItem({ ...item, ...set });
    },

    /**
     * Publishes now, or schedules for `publishAt` if that lies ahead. A second click changes
     * nothing: the item is already published and its messages have unique keys.
     */
    async publish(tenant: Tenant, id: string): Promise<StaffNewsItem> {
      const item = await mustFind(tenant, id);
      if (item.status === "published") return staffNewsItem(item);
      const now = clock.now();
      const scheduled = item.publishAt !== null && item.publishAt > now;
      const set: NewsPatch = scheduled
        ? { status: "scheduled", updatedAt: now }
        : { status: "published", publishedAt: now, fannedOutAt: null, fanoutCursor: null, updatedAt: now };
      await changePublic(tenant, updateNews(db, tenant.id, id, set).where("status", "!=", "published"));
      if (!scheduled) deps.onPublished();
      return staffNewsItem({ ...item, ...set });
    },

    /**
     * Back to draft. In the same atomic write every message of the item that has not gone out
     * is withdrawn, including those a dispatcher has claimed: it checks each message right
     * before handing it to the mail server, so after this returns only messages already
     * being handed over (at most the dispatcher's `concurrency`) still go out.
     */
    async unpublish(tenant: Tenant, id: string): Promise<StaffNewsItem> {
      const item = await mustFind(tenant, id);
      const set: NewsPatch = { status: "draft", publishedAt: null, updatedAt: clock.now() };
      await changePublic(tenant, updateNews(db, tenant.id, id, set), ...withdrawNewsMessages(db, tenant.id, id));
      return staffNewsItem({ ...item, ...set });
    },

    /** Deletes the item and withdraws its messages as unpublish does. */
    async remove(tenant: Tenant, id: string): Promise<void> {
      await mustFind(tenant, id);
      await changePublic(tenant, ...withdrawNewsMessages(db, tenant.id, id), deleteNews(db, tenant.id, id));
    },
  };
}

export type NewsService = ReturnType<typeof newsService>;
