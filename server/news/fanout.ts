import type { Compilable } from "kysely";
import type { Store } from "../db/store.js";
import type { Clock } from "../lib/clock.js";
import { enqueue, shareVars } from "../outbox/enqueue.js";
import { createUnsubscribeToken } from "../subscriptions/unsubscribe-token.js";
import { findTenantById } from "../tenants/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import { htmlToText, imageOriginsOf, renderMarkdown } from "./markdown.js";
import { type NewsItem, newsReadUrl } from "./news.js";
import {
  findNews,
  isPublished,
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

  async function fanOut(tenant: Tenant, item: NewsItem) {
    const now = clock.now();
    const readUrl = newsReadUrl(tenant.config.contact.website, item.id);
    const sharedId = newsSharedId(item.id, item.updatedAt);
    // Rendered again under today's rules (images from the town's own origins only), so an
    // item stored before a rule changed cannot mail what the rule now keeps out.
    const bodyHtml = renderMarkdown(item.body, { imageOrigins: imageOriginsOf(tenant) });
    // Every write of a page holds only while the item is published, checked in the write
    // itself: a page prepared just before an unpublish cannot add messages after it.
    const onlyIf = isPublished(tenant.id, item.id);
    const share = shareVars(db, tenant.id, sharedId, { title: item.title, summary: item.summary, bodyHtml, bodyText: htmlToText(bodyHtml), readUrl }, now, { onlyIf });
    const labels = new Map(tenant.config.topics.map((t) => [t.id, t.label]));
    const unsubscribeBase = `${deps.publicUrl}/api/v1/tenants/${tenant.slug}/unsubscribe/`;
    let after = item.fanoutCursor ?? "";
    for (let page = 0; ; page++) {
      if (page >= maxPages) return;
      // Withdrawn or deleted meanwhile: stop here; what is queued was withdrawn with it.
      const current = await findNews(db, tenant.id, item.id);
      if (current?.status !== "published") return;
      const rows = await subscribersPage(db, tenant.id, item.topics, after, pageSize);
      if (rows.length === 0) break;
      const queries: Compilable[] = [share];
      const tokens = await Promise.all(rows.map((r) => createUnsubscribeToken(deps.secret, { tenantId: tenant.id, accountId: r.id, topics: r.topics })));
      for (const [i, r] of rows.entries()) {
        const topicNames = r.topics.map((id) => labels.get(id)?.[r.lang] ?? labels.get(id)?.de ?? id).join(", ");
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
              sharedId,
              vars: { name: r.name, unsubscribeUrl: unsubscribeBase + tokens[i]!, topics: topicNames },
            },
            now,
            { onlyIf },
          ),
        );
        if (item.urgent && r.smsAlerts) {
          queries.push(
            enqueue(
              db,
              tenant.id,
              { channel: "sms", recipient: r.mobile, template: "news_alert", lang: r.lang, accountId: r.id, dedupeKey: newsSmsKey(item.id, r.id), vars: { title: item.title, url: readUrl } },
              now,
              { onlyIf },
            ),
          );
        }
      }
      after = rows[rows.length - 1]!.id;
      queries.push(setFanoutCursor(db, tenant.id, item.id, after));
      await store.atomic(queries);
    }
    await markFannedOut(db, tenant.id, item.id, clock.now());
  }

  return {
    /** Publishes scheduled items whose time has come, then fans out every published item not yet fanned out. */
    async runDue(): Promise<number> {
      const now = clock.now();
      const towns = await townsWithDueNews(db, now);
      if (towns.length > 0) {
        await store.atomic(publishDueNews(db, now));
        for (const id of towns) deps.onPublicChange?.(id);
      }
      const pending = await listAwaitingFanout(db);
      for (const item of pending) {
        const tenant = await findTenantById(db, item.tenantId);
        if (tenant) await fanOut(tenant, item);
      }
      return pending.length;
    },
  };
}

export type NewsFanout = ReturnType<typeof newsFanout>;
