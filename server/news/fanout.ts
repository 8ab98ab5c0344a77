import type { Compilable, Expression, SqlBool } from "kysely";
import type { Store } from "../db/store.js";
import type { Clock } from "../lib/clock.js";
import { randomId } from "../lib/crypto.js";
import { enqueue, shareVars } from "../outbox/enqueue.js";
import { createUnsubscribeToken } from "../subscriptions/unsubscribe-token.js";
import { findTenantById } from "../tenants/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import { htmlToText, imageOriginsOf, renderMarkdown } from "./markdown.js";
import { type NewsItem, newsReadUrl } from "./news.js";
import {
  type FanoutPage,
  type Subscriber,
  claimFanoutPlan,
  findFanoutPage,
  findNews,
  finishFanoutPage,
  insertFanoutPages,
  isPublished,
  isPublishedUnderPlan,
  listToPlan,
  openFanoutPages,
  pageBoundaries,
  pendingIdsByKey,
  listAwaitingFanout,
  markFannedOut,
  newsMailKey,
  newsSharedId,
  newsSmsKey,
  publishDueNews,
  setFanoutCursor,
  subscribersPage,
  townsWithDueNews,
} from "./repo.js";

export interface FanoutDeps {
  store: Store;
  clock: Clock;
  /** Encrypts the unsubscribe tokens. */
  secret: string;
  publicUrl: string;
  /** Recipients written per transaction. */
  pageSize?: number;
  /** Pages per run; the rest waits for the next run (Workers: bounded work per Cron invocation). */
  maxPages?: number;
  /** A scheduled item of this town went public; this process re-reads the town. */
  onPublicChange?: (tenantId: string) => void;
}

/**
 * Turns published items into one outbox message per subscriber. Every message has the unique
 * key (item, account), so running this twice, concurrently or after a crash half-way, adds
 * exactly the messages that are missing: nobody gets an item twice and nobody is skipped.
 */
export function newsFanout(deps: FanoutDeps) {
  const { store, clock } = deps;
  const db = store.db;
  const pageSize = deps.pageSize ?? 500;
  const maxPages = deps.maxPages ?? Number.POSITIVE_INFINITY;

  /** What every page of one item shares: its text stored once, the labels, the condition. */
  function prepare(tenant: Tenant, item: NewsItem, onlyIf: Expression<SqlBool>) {
    const readUrl = newsReadUrl(tenant.config.contact.website, item.id);
    const sharedId = newsSharedId(item.id, item.updatedAt);
    // Rendered again under today's rules (images from the town's own origins only), so an
    // item stored before a rule changed cannot mail what the rule now keeps out.
    const bodyHtml = renderMarkdown(item.body, { imageOrigins: imageOriginsOf(tenant) });
    const share = shareVars(db, tenant.id, sharedId, { title: item.title, summary: item.summary, bodyHtml, bodyText: htmlToText(bodyHtml), readUrl }, clock.now(), { onlyIf });
    return { readUrl, sharedId, share, onlyIf, labels: new Map(tenant.config.topics.map((t) => [t.id, t.label])), unsubscribeBase: `${deps.publicUrl}/api/v1/tenants/${tenant.slug}/unsubscribe/` };
  }

  /** The outbox keys of a page's messages: a mail each, and an SMS for those who want urgent items so. */
  const messageKeys = (item: NewsItem, rows: Subscriber[]) =>
    rows.flatMap((r) => (item.urgent && r.smsAlerts ? [newsMailKey(item.id, r.id), newsSmsKey(item.id, r.id)] : [newsMailKey(item.id, r.id)]));

  /** The writes that put one page of subscribers into the outbox, each only under `onlyIf`. */
  async function pageWrites(tenant: Tenant, item: NewsItem, ctx: ReturnType<typeof prepare>, rows: Subscriber[]) {
    const now = clock.now();
    const queries: Compilable[] = [ctx.share];
    const tokens = await Promise.all(rows.map((r) => createUnsubscribeToken(deps.secret, { tenantId: tenant.id, accountId: r.id, topics: r.topics })));
    for (const [i, r] of rows.entries()) {
      const topicNames = r.topics.map((id) => ctx.labels.get(id)?.[r.lang] ?? ctx.labels.get(id)?.de ?? id).join(", ");
      queries.push(
        enqueue(
          db,
          tenant.id,
          {
            channel: "email",
            recipient: r.email,
            template: "news",
            lang: r.lang,
            accountId: r.id,
            dedupeKey: newsMailKey(item.id, r.id),
            sharedId: ctx.sharedId,
            vars: { name: r.name, unsubscribeUrl: ctx.unsubscribeBase + tokens[i]!, topics: topicNames },
          },
          now,
          { onlyIf: ctx.onlyIf },
        ),
      );
      if (item.urgent && r.smsAlerts) {
        queries.push(
          enqueue(
            db,
            tenant.id,
            { channel: "sms", recipient: r.mobile, template: "news_alert", lang: r.lang, accountId: r.id, dedupeKey: newsSmsKey(item.id, r.id), vars: { title: item.title, url: ctx.readUrl } },
            now,
            { onlyIf: ctx.onlyIf },
          ),
        );
      }
    }
    return queries;
  }

  async function fanOut(tenant: Tenant, item: NewsItem) {
    // Every write of a page holds only while the item is published, checked in the write
    // itself: a page prepared just before an unpublish cannot add messages after it.
    const ctx = prepare(tenant, item, isPublished(tenant.id, item.id));
    let after = item.fanoutCursor ?? "";
    for (let page = 0; ; page++) {
      if (page >= maxPages) return;
      // Withdrawn or deleted meanwhile: stop here; what is queued was withdrawn with it.
      const current = await findNews(db, tenant.id, item.id);
      if (current?.status !== "published") return;
      const rows = await subscribersPage(db, tenant.id, item.topics, after, pageSize);
      if (rows.length === 0) break;
      const queries = await pageWrites(tenant, item, ctx, rows);
      after = rows[rows.length - 1]!.id;
      queries.push(setFanoutCursor(db, tenant.id, item.id, after));
      await store.atomic(queries);
    }
    await markFannedOut(db, tenant.id, item.id, clock.now());
  }

  /** Publishes scheduled items whose time has come. */
  async function publishDue(): Promise<void> {
    const now = clock.now();
    const towns = await townsWithDueNews(db, now);
    if (towns.length > 0) {
      await store.atomic(publishDueNews(db, now));
      for (const id of towns) deps.onPublicChange?.(id);
    }
  }

  return {
    /** Publishes scheduled items whose time has come, then fans out every published item not yet fanned out. */
    async runDue(): Promise<number> {
      await publishDue();
      const pending = await listAwaitingFanout(db);
      for (const item of pending) {
        const tenant = await findTenantById(db, item.tenantId);
        if (tenant) await fanOut(tenant, item);
      }
      return pending.length;
    },

    publishDue,

    /**
     * Splits the fan-out of every published item not yet planned into pages of `pageSize`
     * recipients, for the queue; and hands out again the pages not done of a plan that made no
     * progress since `staleBefore` (its queue lost messages). One planner wins per item; the
     * plan's pages are written before they are returned.
     */
    async planDue(staleBefore: number): Promise<PlannedFanout[]> {
      const planned: PlannedFanout[] = [];
      for (const item of await listToPlan(db, staleBefore)) {
        if (item.plan !== null) {
          if (!(await claimFanoutPlan(db, item.tenantId, item.id, item.plan, item.plan, clock.now(), staleBefore))) continue;
          const open = await openFanoutPages(db, item.tenantId, item.id, item.plan);
          // A plan without pages (its planner stopped before writing them) is made again.
          if (open.length > 0 || (await findFanoutPage(db, item.tenantId, item.id, item.plan, ""))) {
            planned.push({ tenantId: item.tenantId, newsId: item.id, plan: item.plan, pages: open });
            continue;
          }
        }
        const plan = randomId("p");
        if (!(await claimFanoutPlan(db, item.tenantId, item.id, item.plan, plan, clock.now(), null))) continue;
        const ends = await pageBoundaries(db, item.tenantId, item.topics, pageSize);
        const pages: FanoutPage[] = [...ends, null].map((until, i) => ({ after: i === 0 ? "" : ends[i - 1]!, until }));
        await store.atomic(insertFanoutPages(db, item.tenantId, item.id, plan, pages));
        planned.push({ tenantId: item.tenantId, newsId: item.id, plan, pages });
      }
      return planned;
    },

    /**
     * Writes one page of a plan into the outbox and marks it done, all in one write and only
     * while the item is published under that plan. Returns the ids of the page's messages
     * still to be sent: on a second delivery of the same page, those not sent yet.
     */
    async writePage(tenantId: string, newsId: string, plan: string, after: string): Promise<string[]> {
      const [tenant, item, page] = await Promise.all([findTenantById(db, tenantId), findNews(db, tenantId, newsId), findFanoutPage(db, tenantId, newsId, plan, after)]);
      // Withdrawn, deleted or planned anew meanwhile: this page has nothing to add.
      if (!tenant || item?.status !== "published" || !page) return [];
      const ctx = prepare(tenant, item, isPublishedUnderPlan(tenantId, newsId, plan));
      const keys: string[] = [];
      for (let from = after; ; ) {
        const rows = await subscribersPage(db, tenantId, item.topics, from, pageSize, page.until_id);
        const last = rows.length < pageSize;
        keys.push(...messageKeys(item, rows));
        // A page delivered again after it was done writes nothing: whoever subscribed since gets
        // no older item. Only its messages still waiting are asked for again.
        if (page.done_at === null) {
          const writes = await pageWrites(tenant, item, ctx, rows);
          // A page grows if people subscribe after planning; it is done only with its last part.
          await store.atomic(last ? [...writes, ...finishFanoutPage(db, tenantId, newsId, plan, after, clock.now())] : writes);
        }
        if (last) break;
        from = rows[rows.length - 1]!.id;
      }
      return pendingIdsByKey(db, tenantId, keys);
    },
  };
}

/** One item's fan-out split into pages for the queue. */
export interface PlannedFanout {
  tenantId: string;
  newsId: string;
  plan: string;
  pages: FanoutPage[];
}

export type NewsFanout = ReturnType<typeof newsFanout>;
