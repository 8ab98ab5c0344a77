import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../server/lib/clock.js";
import { newsService } from "../../server/news/service.js";
import { findTenantById } from "../../server/tenants/repo.js";
import { d1Store } from "../../server/workers/d1-store.js";
import { recordingConsumer } from "./recording-consumer.js";
import { seedSubscribers } from "./seed.js";

/**
 * A queued fan-out's plan under the faults queues bring: pages delivered again late, messages
 * lost. The test holds the queues' messages and hands them to the Worker's real consumer.
 */
const store = d1Store(env.DB);

async function setup(topic: string, subscribers: number) {
  const tenant = (await store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
  const domain = `p${crypto.randomUUID().slice(0, 8)}.example`;
  await seedSubscribers(tenant, subscribers, domain, topic);
  const town = (await findTenantById(store.db, tenant))!;
  const news = newsService({ store, clock: systemClock, onPublished: () => {}, onPublicChange: () => {} });
  const item = await news.create(town, { id: "a_redaktion" }, { title: "Bürgersprechstunde", summary: "Am Dienstag.", body: "Im Rathaus.", topics: [topic], urgent: false });
  await news.publish(town, item.id);
  const recorded = recordingConsumer();
  const rowsOf = async () =>
    (await env.DB.prepare("SELECT recipient FROM outbox WHERE tenant_id = ? AND dedupe_key LIKE ?").bind(tenant, `news:${item.id}:%`).all<{ recipient: string }>()).results.map((r) => r.recipient);
  const item_ = () => env.DB.prepare("SELECT fanned_out_at, fanout_plan FROM news WHERE tenant_id = ? AND id = ?").bind(tenant, item.id).first<{ fanned_out_at: number | null; fanout_plan: string }>();
  // Only this test's item: pages of others' items are not its business.
  const pagesOf = () => recorded.fanout.splice(0).filter((m) => m.type === "page" && m.newsId === item.id);
  return { tenant, domain, item, ...recorded, pagesOf, rowsOf, itemRow: item_ };
}

describe("a queued fan-out's plan", () => {
  it("adds no one who subscribed since when a page is delivered again after the fan-out finished", async () => {
    const s = await setup("verwaltung", 150);
    await s.consume({ type: "plan" });
    const pages = s.pagesOf();
    expect(pages).toHaveLength(2);
    for (const page of pages) await s.consume(page);
    expect((await s.itemRow())?.fanned_out_at).not.toBeNull();
    // Someone subscribes whose id falls within the first page's range…
    const prefix = `a_${s.domain.replace(/\W/g, "_")}_`;
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO accounts (tenant_id, id, kind, role, email, email_verified_at, mobile, mobile_verified_at, password_hash, name, lang, privacy_version, privacy_accepted_at, demo, created_at, updated_at)
         VALUES (?, ?, 'person', 'citizen', ?, ?, '+4917199999999', ?, 'x', 'Neu', 'de', 'seed', ?, 0, ?, ?)`,
      ).bind(s.tenant, `${prefix}00050a`, `neu@${s.domain}`, now, now, now, now, now),
      env.DB.prepare("INSERT INTO subscriptions (tenant_id, account_id, topic, created_at) VALUES (?, ?, 'verwaltung', ?)").bind(s.tenant, `${prefix}00050a`, now),
    ]);
    // …and the first page arrives a second time.
    await s.consume(pages[0]!);
    const rows = await s.rowsOf();
    expect(rows).toHaveLength(150);
    expect(rows).not.toContain(`neu@${s.domain}`);
  });

  it("hands out again only the pages not done of a plan that made no progress for ten minutes, under the same plan", async () => {
    const s = await setup("veranstaltungen", 250);
    await s.consume({ type: "plan" });
    const pages = s.pagesOf();
    expect(pages).toHaveLength(3);
    await s.consume(pages[0]!);
    // Not stale yet: a plan run (the Cron's) hands out nothing.
    await s.consume({ type: "plan" });
    expect(s.pagesOf()).toHaveLength(0);
    // The other two pages' messages are lost; eleven minutes pass without progress.
    const plan = (await s.itemRow())!.fanout_plan;
    await env.DB.prepare("UPDATE news SET fanout_planned_at = ? WHERE tenant_id = ? AND id = ?").bind(Date.now() - 660_000, s.tenant, s.item.id).run();
    await s.consume({ type: "plan" });
    const again = s.pagesOf();
    expect(again).toEqual(pages.slice(1));
    expect(again.every((m) => m.type === "page" && m.plan === plan)).toBe(true);
    for (const page of again) await s.consume(page);
    expect(await s.rowsOf()).toHaveLength(250);
    expect((await s.itemRow())?.fanned_out_at).not.toBeNull();
  });
});
