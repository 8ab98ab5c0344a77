import type { z } from "zod";
import type { AccountsTable, NewsTable } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { AppError } from "../http/errors.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import type { Tenant } from "../tenants/tenant.js";
import type { createNewsInput, updateNewsInput } from "./inputs.js";
import { renderMarkdown } from "./markdown.js";
import { staffNewsItem } from "./news.js";
import { cancelPendingNewsMessages, deleteNews, findNews, insertNews, updateNews } from "./repo.js";
import { unknownTopics } from "./topics.js";

export interface NewsDeps {
  store: Store;
  clock: Clock;
  /** Wakes the background fan-out and dispatcher after a publish. */
  onPublished: () => void;
}

/** What staff do with news: write drafts, edit, publish now or at a time, withdraw, delete. */
export function newsService(deps: NewsDeps) {
  const { store, clock } = deps;
  const db = store.db;

  async function mustFind(tenant: Tenant, id: string) {
    const item = await findNews(db, tenant.id, id);
    // Another town's id is simply not found here.
    if (!item) throw AppError.of(404, "not_found");
    return item;
  }

  return {
    async create(tenant: Tenant, author: AccountsTable, input: z.output<typeof createNewsInput>) {
      unknownTopics(tenant, input.topics);
      const now = clock.now();
      const row: NewsTable = {
        tenant_id: tenant.id,
        id: randomId("n"),
        title: input.title,
        summary: input.summary,
        body: input.body,
        body_html: renderMarkdown(input.body),
        topics: JSON.stringify([...new Set(input.topics)]),
        urgent: input.urgent ? 1 : 0,
        status: "draft",
        publish_at: input.publishAt ?? null,
        published_at: null,
        fanned_out_at: null,
        fanout_cursor: null,
        created_by: author.id,
        created_at: now,
        updated_at: now,
      };
      await insertNews(db, row).execute();
      return staffNewsItem(row);
    },

    /** Edits never re-send: subscribers got the item once; the website shows the new text. */
    async update(tenant: Tenant, id: string, input: z.output<typeof updateNewsInput>) {
      const item = await mustFind(tenant, id);
      if (input.topics) unknownTopics(tenant, input.topics);
      const set: Partial<NewsTable> = { updated_at: clock.now() };
      if (input.title !== undefined) set.title = input.title;
      if (input.summary !== undefined) set.summary = input.summary;
      if (input.body !== undefined) {
        set.body = input.body;
        set.body_html = renderMarkdown(input.body);
      }
      if (input.topics !== undefined) set.topics = JSON.stringify([...new Set(input.topics)]);
      if (input.urgent !== undefined) set.urgent = input.urgent ? 1 : 0;
      if (input.publishAt !== undefined) {
        set.publish_at = input.publishAt;
        // A scheduled item without a time would wait forever: it becomes a draft again.
        if (input.publishAt === null && item.status === "scheduled") set.status = "draft";
      }
      await updateNews(db, tenant.id, id, set).execute();
      return staffNewsItem({ ...item, ...set });
    },

    /**
     * Publishes now, or schedules for `publishAt` if that lies ahead. A second click changes
     * nothing: the item is already published and its messages have unique keys.
     */
    async publish(tenant: Tenant, id: string) {
      const item = await mustFind(tenant, id);
      if (item.status === "published") return staffNewsItem(item);
      const now = clock.now();
      const scheduled = item.publish_at !== null && item.publish_at > now;
      const set: Partial<NewsTable> = scheduled
        ? { status: "scheduled", updated_at: now }
        : { status: "published", published_at: now, fanned_out_at: null, fanout_cursor: null, updated_at: now };
      await updateNews(db, tenant.id, id, set).where("status", "!=", "published").execute();
      if (!scheduled) deps.onPublished();
      return staffNewsItem({ ...item, ...set });
    },

    /** Back to draft; messages not yet sent are withdrawn. */
    async unpublish(tenant: Tenant, id: string) {
      const item = await mustFind(tenant, id);
      const set: Partial<NewsTable> = { status: "draft", published_at: null, updated_at: clock.now() };
      await store.atomic([updateNews(db, tenant.id, id, set), ...cancelPendingNewsMessages(db, tenant.id, id)]);
      return staffNewsItem({ ...item, ...set });
    },

    async remove(tenant: Tenant, id: string) {
      await mustFind(tenant, id);
      await store.atomic([...cancelPendingNewsMessages(db, tenant.id, id), deleteNews(db, tenant.id, id)]);
    },

    mustFind,
  };
}

export type NewsService = ReturnType<typeof newsService>;
