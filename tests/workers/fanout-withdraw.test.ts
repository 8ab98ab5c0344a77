import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { systemClock } from "../../server/lib/clock.js";
import { newsService } from "../../server/news/service.js";
import type { RateGate } from "../../server/outbox/rate-gate.js";
import { findTenantById } from "../../server/tenants/repo.js";
import { d1Store } from "../../server/workers/d1-store.js";
import { durableRateGate } from "../../server/workers/durable-rate-gate.js";
import type { SinkMail } from "../support/mail-api-sink.js";
import { recordingConsumer } from "./recording-consumer.js";
import { seedSubscribers } from "./seed.js";

/**
 * Unpublishing in the middle of a queued fan-out, step by step: the test holds the queues'
 * messages itself (recorded, then handed to the Worker's real consumer one at a time) and can
 * hold senders at the rate gate, so it knows exactly what was sent before the unpublish and
 * what was claimed and about to go out when it came. D1, the consumer, the rate limiter and the
 * mail API server are the real ones.
 */
const store = d1Store(env.DB);

describe("withdrawing a queued fan-out", () => {
  it("sends nothing more of an item once it is unpublished: pages add nothing, deliveries find nothing", { timeout: 120_000 }, async () => {
    const tenant = (await store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
    const domain = `w${crypto.randomUUID().slice(0, 8)}.example`;
    // 1,000 subscribers of a topic no other test publishes to.
    await seedSubscribers(tenant, 1_000, domain, "schule-kita");
    const town = (await findTenantById(store.db, tenant))!;
    const news = newsService({ store, clock: systemClock, onPublished: () => {}, onPublicChange: () => {} });
    const item = await news.create(town, { id: "a_redaktion" }, { title: "Kita-Anmeldung geöffnet", summary: "Ab heute.", body: "Anmeldungen im Widget.", topics: ["schule-kita"], urgent: false });
    await news.publish(town, item.id);

    const townRate = durableRateGate(env.MAIL_RATE);
    // The town's rate gate, able to hold every sender at it until the test lets them through.
    let hold: Promise<void> | undefined;
    let waiting = 0;
    const gate: RateGate = {
      async take(tenantId, perSecond, opts) {
        waiting++;
        await hold;
        waiting--;
        return townRate.take(tenantId, perSecond, opts);
      },
    };
    const { fanout, delivery, consume } = recordingConsumer(gate);
    const sink = async () => ((await (await fetch(`${env.TEST_MAIL_SINK}/mails?domain=${domain}`)).json()) as SinkMail[]).length;

    await consume({ type: "plan" });
    const pages = fanout.splice(0).filter((m) => m.type === "page" && m.newsId === item.id);
    // 1,000 subscribers in pages of 100, and the open end after the last.
    expect(pages).toHaveLength(11);
    for (const page of pages.slice(0, 3)) await consume(page);
    expect(delivery).toHaveLength(3);
    await consume(delivery.shift()!);
    expect(await sink()).toBe(100);

    // The next delivery has claimed its 100 messages and its senders wait at the rate gate…
    let release = () => {};
    hold = new Promise<void>((r) => (release = r));
    const claimedAndWaiting = consume(delivery.shift()!);
    await vi.waitFor(() => expect(waiting).toBe(6), { timeout: 30_000, interval: 20 });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE tenant_id = ? AND dedupe_key LIKE ? AND status = 'sending'").bind(tenant, `news:${item.id}:%`).first("n")).toBe(100);
    // …when the item is unpublished. Let through, they send nothing.
    await news.unpublish(town, item.id);
    release();
    await claimedAndWaiting;
    expect(await sink()).toBe(100);

    // Pages written after the unpublish add nothing and ask for no delivery…
    for (const page of pages.slice(3)) await consume(page);
    expect(delivery).toHaveLength(1);
    // …and the deliveries already queued find nothing left to send.
    for (const message of delivery.splice(0)) await consume(message);
    expect(await sink()).toBe(100);
    const rows = await env.DB.prepare("SELECT status, COUNT(*) AS n FROM outbox WHERE tenant_id = ? AND dedupe_key LIKE ? GROUP BY status")
      .bind(tenant, `news:${item.id}:%`)
      .all<{ status: string; n: number }>();
    expect(rows.results).toEqual([{ status: "sent", n: 100 }]);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM news_fanout_pages WHERE tenant_id = ? AND news_id = ?").bind(tenant, item.id).first("n")).toBe(0);
  });
});
