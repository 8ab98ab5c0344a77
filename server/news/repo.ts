import { type Expression, type SqlBool, sql } from "kysely";
import type { Db, NewsTable } from "../db/schema.js";

/** News of one town; every function takes the town first. */

export function findNews(db: Db, tenantId: string, id: string) {
  return db.selectFrom("news").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
}

export function insertNews(db: Db, row: NewsTable) {
  return db.insertInto("news").values(row);
}

export function updateNews(db: Db, tenantId: string, id: string, set: Partial<Omit<NewsTable, "tenant_id" | "id">>) {
  return db.updateTable("news").set(set).where("tenant_id", "=", tenantId).where("id", "=", id);
}

export function deleteNews(db: Db, tenantId: string, id: string) {
  return db.deleteFrom("news").where("tenant_id", "=", tenantId).where("id", "=", id);
}

/**
 * Withdraws an item's messages not yet sent (sent ones stay on record). Removing the shared
 * text also stops those a dispatcher has already claimed: without it they cannot be rendered.
 */
export function cancelPendingNewsMessages(db: Db, tenantId: string, id: string) {
  return [
    db
      .deleteFrom("outbox")
      .where("tenant_id", "=", tenantId)
      .where("status", "=", "pending")
      .where((eb) => eb.or([eb("dedupe_key", "like", `news:${id}:%`), eb("dedupe_key", "like", `news-sms:${id}:%`)])),
    db.deleteFrom("outbox_shared").where("tenant_id", "=", tenantId).where("id", "like", `news:${id}:%`),
  ];
}

const hasTopic = (topic: string): Expression<SqlBool> => sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(news.topics) WHERE json_each.value = ${topic})`;

export interface Cursor {
  publishedAt: number;
  id: string;
}

/** Published items, newest first, keyset-paginated so that new items never shift a page. */
export function listPublished(db: Db, tenantId: string, opts: { topic?: string; cursor?: Cursor; limit: number }) {
  let q = db.selectFrom("news").selectAll().where("tenant_id", "=", tenantId).where("status", "=", "published");
  if (opts.topic) q = q.where(hasTopic(opts.topic));
  if (opts.cursor) {
    const { publishedAt, id } = opts.cursor;
    q = q.where((eb) => eb.or([eb("published_at", "<", publishedAt), eb.and([eb("published_at", "=", publishedAt), eb("id", "<", id)])]));
  }
  return q.orderBy("published_at", "desc").orderBy("id", "desc").limit(opts.limit).execute();
}

export function listAllForStaff(db: Db, tenantId: string) {
  return db.selectFrom("news").selectAll().where("tenant_id", "=", tenantId).orderBy("updated_at", "desc").limit(200).execute();
}
