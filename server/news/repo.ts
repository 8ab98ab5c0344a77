import { type Compilable, type Expression, type SqlBool, sql } from "kysely";
import type { Db, NewsTable } from "../db/schema.js";
import { raiseContentVersion } from "../tenants/repo.js";
import type { NewsPosition } from "./cursor.js";
import type { NewsItem } from "./news.js";

/**
 * News of one town: the SQL, and the one place where rows become `NewsItem`s and back.
 * Every function takes the town first.
 */

function toItem(r: NewsTable): NewsItem {
  return {
    tenantId: r.tenant_id,
    id: r.id,
    title: r.title,
    summary: r.summary,
    body: r.body,
    bodyHtml: r.body_html,
    topics: JSON.parse(r.topics) as string[],
    urgent: r.urgent === 1,
    status: r.status,
    publishAt: r.publish_at,
    publishedAt: r.published_at,
    fannedOutAt: r.fanned_out_at,
    fanoutCursor: r.fanout_cursor,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** What an edit, a publish or an unpublish may change. */
export type NewsPatch = Partial<Omit<NewsItem, "tenantId" | "id" | "createdBy" | "createdAt">>;

function toColumns(p: NewsPatch): Partial<NewsTable> {
  const set: Partial<NewsTable> = {};
  if (p.title !== undefined) set.title = p.title;
  if (p.summary !== undefined) set.summary = p.summary;
  if (p.body !== undefined) set.body = p.body;
  if (p.bodyHtml !== undefined) set.body_html = p.bodyHtml;
  if (p.topics !== undefined) set.topics = JSON.stringify(p.topics);
  if (p.urgent !== undefined) set.urgent = p.urgent ? 1 : 0;
  if (p.status !== undefined) set.status = p.status;
  if (p.publishAt !== undefined) set.publish_at = p.publishAt;
  if (p.publishedAt !== undefined) set.published_at = p.publishedAt;
  if (p.fannedOutAt !== undefined) set.fanned_out_at = p.fannedOutAt;
  if (p.fanoutCursor !== undefined) set.fanout_cursor = p.fanoutCursor;
  if (p.updatedAt !== undefined) set.updated_at = p.updatedAt;
  return set;
}

function toRow(n: NewsItem): NewsTable {
  return {
    tenant_id: n.tenantId,
    id: n.id,
    title: n.title,
    summary: n.summary,
    body: n.body,
    body_html: n.bodyHtml,
    topics: JSON.stringify(n.topics),
    urgent: n.urgent ? 1 : 0,
    status: n.status,
    publish_at: n.publishAt,
    published_at: n.publishedAt,
    fanned_out_at: n.fannedOutAt,
    fanout_cursor: n.fanoutCursor,
    created_by: n.createdBy,
    created_at: n.createdAt,
    updated_at: n.updatedAt,
  };
}

export async function findNews(db: Db, tenantId: string, id: string): Promise<NewsItem | undefined> {
  const row = await db.selectFrom("news").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
  return row && toItem(row);
}

export async function hasAnyNews(db: Db, tenantId: string): Promise<boolean> {
  return (await db.selectFrom("news").select("id").where("tenant_id", "=", tenantId).limit(1).executeTakeFirst()) !== undefined;
}

export function insertNews(db: Db, item: NewsItem) {
  return db.insertInto("news").values(toRow(item));
}

export function updateNews(db: Db, tenantId: string, id: string, patch: NewsPatch) {
  return db.updateTable("news").set(toColumns(patch)).where("tenant_id", "=", tenantId).where("id", "=", id);
}

export function deleteNews(db: Db, tenantId: string, id: string) {
  return db.deleteFrom("news").where("tenant_id", "=", tenantId).where("id", "=", id);
}

const mailPrefix = (itemId: string) => `news:${itemId}:`;
const smsPrefix = (itemId: string) => `news-sms:${itemId}:`;
/** Outbox keys of an item's messages: one mail and at most one SMS per (item, account). */
export const newsMailKey = (itemId: string, accountId: string) => mailPrefix(itemId) + accountId;
export const newsSmsKey = (itemId: string, accountId: string) => smsPrefix(itemId) + accountId;
/** The item's text, stored once for all its mails; versioned, so that after an edit and a re-publish new messages carry the corrected text. */
export const newsSharedId = (itemId: string, version: number) => mailPrefix(itemId) + version;

/** `column` starts with `prefix`, literally (ids may hold `_`, a LIKE wildcard). */
const startsWith = (column: "dedupe_key" | "id", prefix: string): Expression<SqlBool> =>
  sql<SqlBool>`substr(${sql.ref(column)}, 1, ${prefix.length}) = ${prefix}`;

/**
 * Withdraws an item's messages that have not gone out: those waiting and those a dispatcher
 * has claimed but not yet handed to the mail server (it checks each one right before sending,
 * see server/outbox/dispatcher.ts). Sent and failed ones stay on record. Run it in the same
 * atomic write as the status change, so that no moment exists where the item is withdrawn
 * and a message of it is still meant to go out.
 */
export function withdrawNewsMessages(db: Db, tenantId: string, id: string) {
  return [
    db
      .deleteFrom("outbox")
      .where("tenant_id", "=", tenantId)
      .where("status", "in", ["pending", "sending"])
      .where((eb) => eb.or([startsWith("dedupe_key", mailPrefix(id)), startsWith("dedupe_key", smsPrefix(id))])),
    db.deleteFrom("outbox_shared").where("tenant_id", "=", tenantId).where(startsWith("id", mailPrefix(id))),
    // Pages still queued find no page and no published item: they add nothing. A new publish plans anew.
    db.deleteFrom("news_fanout_pages").where("tenant_id", "=", tenantId).where("news_id", "=", id),
    db.updateTable("news").set({ fanout_plan: null, fanout_planned_at: null }).where("tenant_id", "=", tenantId).where("id", "=", id),
  ];
}

/**
 * True while the item is published: the fan-out writes each page only under this condition,
 * in the same statement, so a page prepared just before an unpublish adds nothing after it.
 */
export function isPublished(tenantId: string, id: string): Expression<SqlBool> {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM news WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'published')`;
}

/** Published items, newest first, keyset-paginated so that new items never shift a page. */
export async function listPublished(db: Db, tenantId: string, opts: { topic?: string; after?: NewsPosition; limit: number }): Promise<NewsItem[]> {
  let q = db.selectFrom("news").selectAll().where("tenant_id", "=", tenantId).where("status", "=", "published");
  if (opts.topic) q = q.where(sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(news.topics) WHERE json_each.value = ${opts.topic})`);
  if (opts.after) {
    const { publishedAt, id } = opts.after;
    // As a row value, so the index range starts at the cursor instead of reading every newer item first.
    q = q.where((eb) => eb(eb.refTuple("published_at", "id"), "<", eb.tuple(publishedAt, id)));
  }
  return (await q.orderBy("published_at", "desc").orderBy("id", "desc").limit(opts.limit).execute()).map(toItem);
}

export async function listAllForStaff(db: Db, tenantId: string): Promise<NewsItem[]> {
  return (await db.selectFrom("news").selectAll().where("tenant_id", "=", tenantId).orderBy("updated_at", "desc").limit(200).execute()).map(toItem);
}

const dueNews = (db: Db, now: number) => db.selectFrom("news").where("status", "=", "scheduled").where("publish_at", "<=", now);

/** Across towns (the scheduler): the towns that have scheduled items whose time has come. */
export async function townsWithDueNews(db: Db, now: number): Promise<string[]> {
  return (await dueNews(db, now).select("tenant_id").distinct().execute()).map((r) => r.tenant_id);
}

/**
 * Across towns (the scheduler): scheduled items whose time has come become published, and
 * their towns' content versions are raised in the same atomic write.
 */
export function publishDueNews(db: Db, now: number): Compilable[] {
  return [
    raiseContentVersion(db, now).where("id", "in", dueNews(db, now).select("tenant_id")),
    db
      .updateTable("news")
      // As a publish now: a fan-out of an earlier publish (unpublished since) does not count.
      .set((eb) => ({ status: "published", published_at: eb.ref("publish_at"), updated_at: now, fanned_out_at: null, fanout_cursor: null, fanout_plan: null, fanout_planned_at: null }))
      .where("status", "=", "scheduled")
      .where("publish_at", "<=", now),
  ];
}

/** Across towns (the scheduler): published items whose messages are not all written yet. */
export async function listAwaitingFanout(db: Db): Promise<NewsItem[]> {
  return (await db.selectFrom("news").selectAll().where("status", "=", "published").where("fanned_out_at", "is", null).execute()).map(toItem);
}

export function setFanoutCursor(db: Db, tenantId: string, id: string, cursor: string) {
  return updateNews(db, tenantId, id, { fanoutCursor: cursor }).where("status", "=", "published");
}

export function markFannedOut(db: Db, tenantId: string, id: string, now: number) {
  return updateNews(db, tenantId, id, { fannedOutAt: now }).where("status", "=", "published").execute();
}

export interface Subscriber {
  id: string;
  name: string;
  email: string;
  lang: "de" | "en";
  mobile: string;
  smsAlerts: boolean;
  /** The item's topics this account subscribed to. */
  topics: string[];
}

/**
 * The next page of verified accounts subscribed to one of `topics`, in id order after `after`
 * (and up to `until`, a queue page's end). Driving from accounts keeps every step an index
 * lookup; a join from subscriptions lets SQLite carry `id > after` over as a range on
 * subscriptions, which turns quadratic.
 */
export async function subscribersPage(db: Db, tenantId: string, topics: ReadonlyArray<string>, after: string, limit: number, until?: string | null): Promise<Subscriber[]> {
  const upTo = until == null ? sql`` : sql`AND a.id <= ${until}`;
  const { rows } = await sql<{ id: string; name: string; email: string; lang: "de" | "en"; mobile: string; sms_alerts: number; topics: string }>`
    SELECT * FROM (
      SELECT a.id, a.name, a.email, a.lang, a.mobile, a.sms_alerts,
        (SELECT group_concat(s.topic) FROM subscriptions s
          WHERE s.tenant_id = a.tenant_id AND s.account_id = a.id
            AND s.topic IN (SELECT value FROM json_each(${JSON.stringify(topics)}))) AS topics
      FROM accounts a
      WHERE a.tenant_id = ${tenantId} AND a.id > ${after} ${upTo}
        AND a.email_verified_at IS NOT NULL AND a.mobile_verified_at IS NOT NULL
      ORDER BY a.id
    ) WHERE topics IS NOT NULL
    LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, lang: r.lang, mobile: r.mobile, smsAlerts: r.sms_alerts === 1, topics: r.topics.split(",") }));
}

/**
 * Where the pages of a queued fan-out end: the id of every `pageSize`-th subscriber, in one
 * query. Page k holds the accounts after boundary k-1 up to boundary k; the last runs to the end.
 */
export async function pageBoundaries(db: Db, tenantId: string, topics: ReadonlyArray<string>, pageSize: number): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM (
      SELECT a.id, row_number() OVER (ORDER BY a.id) AS n FROM accounts a
      WHERE a.tenant_id = ${tenantId} AND a.email_verified_at IS NOT NULL AND a.mobile_verified_at IS NOT NULL
        AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.tenant_id = a.tenant_id AND s.account_id = a.id
          AND s.topic IN (SELECT value FROM json_each(${JSON.stringify(topics)})))
    ) WHERE n % ${pageSize} = 0 ORDER BY id`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * Across towns (the scheduler): published items not fanned out whose fan-out is not planned, or
 * whose plan made no progress since `staleBefore` (no page done: a queue lost messages).
 */
export async function listToPlan(db: Db, staleBefore: number): Promise<Array<NewsItem & { plan: string | null }>> {
  const rows = await db
    .selectFrom("news")
    .selectAll()
    .where("status", "=", "published")
    .where("fanned_out_at", "is", null)
    .where((eb) => eb.or([eb("fanout_plan", "is", null), eb("fanout_planned_at", "<", staleBefore)]))
    .execute();
  return rows.map((r) => ({ ...toItem(r), plan: r.fanout_plan ?? null }));
}

/**
 * Takes the item's fan-out: for a new plan (`from` null) or to resume plan `from`, which then
 * counts as making progress again (`staleBefore` null: to replace plan `from` at once). True for exactly one of several planners racing, and only
 * while the item is published, not fanned out, and still as `listToPlan` found it.
 */
export async function claimFanoutPlan(db: Db, tenantId: string, id: string, from: string | null, plan: string, now: number, staleBefore: number | null): Promise<boolean> {
  const r = await db
    .updateTable("news")
    .set({ fanout_plan: plan, fanout_planned_at: now })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .where("status", "=", "published")
    .where("fanned_out_at", "is", null)
    .where((eb) =>
      from === null ? eb("fanout_plan", "is", null) : eb.and([eb("fanout_plan", "=", from), ...(staleBefore === null ? [] : [eb("fanout_planned_at", "<", staleBefore)])]),
    )
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The plan's pages not done yet. */
export async function openFanoutPages(db: Db, tenantId: string, id: string, plan: string): Promise<FanoutPage[]> {
  const rows = await db
    .selectFrom("news_fanout_pages")
    .select(["after_id", "until_id"])
    .where("tenant_id", "=", tenantId)
    .where("news_id", "=", id)
    .where("plan", "=", plan)
    .where("done_at", "is", null)
    .orderBy("after_id")
    .execute();
  return rows.map((r) => ({ after: r.after_id, until: r.until_id }));
}

export interface FanoutPage {
  after: string;
  until: string | null;
}

/** The plan's pages, replacing those of earlier plans of the item. */
export function insertFanoutPages(db: Db, tenantId: string, id: string, plan: string, pages: ReadonlyArray<FanoutPage>): Compilable[] {
  const out: Compilable[] = [db.deleteFrom("news_fanout_pages").where("tenant_id", "=", tenantId).where("news_id", "=", id)];
  // D1 binds at most 100 parameters per statement: 6 a row.
  for (let i = 0; i < pages.length; i += 16) {
    out.push(db.insertInto("news_fanout_pages").values(pages.slice(i, i + 16).map((p) => ({ tenant_id: tenantId, news_id: id, plan, after_id: p.after, until_id: p.until, done_at: null }))));
  }
  return out;
}

/** The item is still published under this plan: a page of an older plan adds nothing. */
export function isPublishedUnderPlan(tenantId: string, id: string, plan: string): Expression<SqlBool> {
  return sql<SqlBool>`EXISTS (SELECT 1 FROM news WHERE tenant_id = ${tenantId} AND id = ${id} AND status = 'published' AND fanout_plan = ${plan})`;
}

export async function findFanoutPage(db: Db, tenantId: string, id: string, plan: string, after: string) {
  return db
    .selectFrom("news_fanout_pages")
    .select(["until_id", "done_at"])
    .where("tenant_id", "=", tenantId)
    .where("news_id", "=", id)
    .where("plan", "=", plan)
    .where("after_id", "=", after)
    .executeTakeFirst();
}

/**
 * The page is done; if it was the plan's last page not done, the item is fanned out. Both in the
 * write that adds the page's messages, so a page counts as done exactly when its messages exist.
 */
export function finishFanoutPage(db: Db, tenantId: string, id: string, plan: string, after: string, now: number): Compilable[] {
  return [
    db
      .updateTable("news_fanout_pages")
      .set({ done_at: now })
      .where("tenant_id", "=", tenantId)
      .where("news_id", "=", id)
      .where("plan", "=", plan)
      .where("after_id", "=", after)
      .where("done_at", "is", null),
    // Progress: a plan whose pages keep getting done is not stale, however long it runs.
    db.updateTable("news").set({ fanout_planned_at: now }).where("tenant_id", "=", tenantId).where("id", "=", id).where("fanout_plan", "=", plan),
    db
      .updateTable("news")
      .set({ fanned_out_at: now })
      .where("tenant_id", "=", tenantId)
      .where("id", "=", id)
      .where("status", "=", "published")
      .where("fanout_plan", "=", plan)
      .where("fanned_out_at", "is", null)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom("news_fanout_pages").select("plan").where("tenant_id", "=", tenantId).where("news_id", "=", id).where("plan", "=", plan).where("done_at", "is", null),
          ),
        ),
      ),
  ];
}

/** The outbox ids of the given keys still waiting to be sent (a page's messages, for the delivery queue). */
export async function pendingIdsByKey(db: Db, tenantId: string, keys: ReadonlyArray<string>): Promise<string[]> {
  if (keys.length === 0) return [];
  const { rows } = await sql<{ id: string }>`
    SELECT id FROM outbox WHERE tenant_id = ${tenantId} AND status = 'pending'
      AND dedupe_key IN (SELECT value FROM json_each(${JSON.stringify(keys)}))`.execute(db);
  return rows.map((r) => r.id);
}
