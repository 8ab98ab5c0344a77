import { type Compilable, sql } from "kysely";
import type { Store } from "../db/store.js";
import type { Clock } from "../lib/clock.js";
import { enqueue, shareVars } from "../outbox/enqueue.js";
import { createUnsubscribeToken } from "../subscriptions/unsubscribe-token.js";
import { findTenantById } from "../tenants/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import { htmlToText } from "./markdown.js";
import { findNews } from "./repo.js";
import { newsReadUrl } from "./news.js";
import type { NewsTable } from "../db/schema.js";

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
}

interface Recipient {
  id: string;
  name: string;
  email: string;
  lang: "de" | "en";
  mobile: string;
  sms_alerts: number;
  topics: string;
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

  /**
   * Walks the town's accounts in id order and picks those subscribed to one of the topics.
   * Driving from accounts keeps every step an index lookup; a join from subscriptions lets
   * SQLite carry `id > after` over as a range on subscriptions, which turns quadratic.
   */
  function recipientsPage(tenantId: string, topics: string[], after: string) {
    return sql<Recipient>`
      SELECT * FROM (
        SELECT a.id, a.name, a.email, a.lang, a.mobile, a.sms_alerts,
          (SELECT group_concat(s.topic) FROM subscriptions s
            WHERE s.tenant_id = a.tenant_id AND s.account_id = a.id
              AND s.topic IN (SELECT value FROM json_each(${JSON.stringify(topics)}))) AS topics
        FROM accounts a
        WHERE a.tenant_id = ${tenantId} AND a.id > ${after}
          AND a.email_verified_at IS NOT NULL AND a.mobile_verified_at IS NOT NULL
        ORDER BY a.id
      ) WHERE topics IS NOT NULL
      LIMIT ${pageSize}`.execute(db);
  }

  async function fanOut(tenant: Tenant, item: NewsTable) {
    const now = clock.now();
    const topics = JSON.parse(item.topics) as string[];
    const readUrl = newsReadUrl(tenant.config.contact.website, item.id);
    // Versioned: after an edit and a re-publish, new messages carry the corrected text.
    const sharedId = `news:${item.id}:${item.updated_at}`;
    const share = shareVars(db, tenant.id, sharedId, { title: item.title, summary: item.summary, bodyHtml: item.body_html, bodyText: htmlToText(item.body_html), readUrl }, now);
    const labels = new Map(tenant.config.topics.map((t) => [t.id, t.label]));
    const unsubscribeBase = `${deps.publicUrl}/api/v1/tenants/${tenant.slug}/unsubscribe/`;
    let after = item.fanout_cursor ?? "";
    for (let page = 0; ; page++) {
      if (page >= maxPages) return;
      // Withdrawn or deleted meanwhile: stop here; what is queued was withdrawn with it.
      const current = await findNews(db, tenant.id, item.id);
      if (current?.status !== "published") return;
      const { rows } = await recipientsPage(tenant.id, topics, after);
      if (rows.length === 0) break;
      const queries: Compilable[] = [share];
      const tokens = await Promise.all(rows.map((r) => createUnsubscribeToken(deps.secret, { tenantId: tenant.id, accountId: r.id, topics: r.topics.split(",") })));
      for (const [i, r] of rows.entries()) {
        const matched = r.topics.split(",");
        const token = tokens[i]!;
        const topicNames = matched.map((id) => labels.get(id)?.[r.lang] ?? labels.get(id)?.de ?? id).join(", ");
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
              dedupeKey: `news:${item.id}:${r.id}`,
              sharedId,
              vars: { name: r.name, unsubscribeUrl: unsubscribeBase + token, topics: topicNames },
            },
            now,
          ),
        );
        if (item.urgent === 1 && r.sms_alerts === 1) {
          queries.push(
            enqueue(
              db,
              tenant.id,
              { channel: "sms", recipient: r.mobile, template: "news_alert", lang: r.lang, accountId: r.id, dedupeKey: `news-sms:${item.id}:${r.id}`, vars: { title: item.title, url: readUrl } },
              now,
            ),
          );
        }
      }
      after = rows[rows.length - 1]!.id;
      queries.push(db.updateTable("news").set({ fanout_cursor: after }).where("tenant_id", "=", tenant.id).where("id", "=", item.id));
      await store.atomic(queries);
    }
    await db
      .updateTable("news")
      .set({ fanned_out_at: clock.now() })
      .where("tenant_id", "=", tenant.id)
      .where("id", "=", item.id)
      .where("status", "=", "published")
      .execute();
  }

  return {
    /** Publishes scheduled items whose time has come, then fans out every published item not yet fanned out. */
    async runDue(): Promise<number> {
      const now = clock.now();
      await db
        .updateTable("news")
        .set((eb) => ({ status: "published", published_at: eb.ref("publish_at"), updated_at: now }))
        .where("status", "=", "scheduled")
        .where("publish_at", "<=", now)
        .execute();
      const pending = await db.selectFrom("news").selectAll().where("status", "=", "published").where("fanned_out_at", "is", null).execute();
      for (const item of pending) {
        const tenant = await findTenantById(db, item.tenant_id);
        if (tenant) await fanOut(tenant, item);
      }
      return pending.length;
    },
  };
}

export type NewsFanout = ReturnType<typeof newsFanout>;
