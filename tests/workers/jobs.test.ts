import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker, { type WorkerEnv } from "../../server/worker.js";
import { describe, expect, it, vi } from "vitest";
import type { OutgoingMail } from "../../server/delivery/ports.js";
import { silentLogger } from "../../server/http/logger.js";
import { systemClock } from "../../server/lib/clock.js";
import { enqueue, shareVars } from "../../server/outbox/enqueue.js";
import { devSmsOutbox } from "../../server/sms/dev-outbox.js";
import { d1Store } from "../../server/workers/d1-store.js";
import { readWorkerVars } from "../../server/workers/env.js";
import { runWorkerJobs, workerSenders } from "../../server/workers/jobs.js";
import { seedSubscribers } from "./seed.js";

/** The Cron job of the Worker, on real D1 in workerd. */
describe("worker jobs", () => {
  it("sends what the outbox holds and marks it sent", async () => {
    const store = d1Store(env.DB);
    const tenant = (await store.db.selectFrom("tenants").select("id").where("slug", "=", "musterstadt").executeTakeFirstOrThrow()).id;
    const recipient = `cron-${crypto.randomUUID()}@example.org`;
    await store.atomic([enqueue(store.db, tenant, { channel: "email", recipient, template: "account_deleted", lang: "de", vars: { name: "Max" } }, Date.now())]);
    const sent: OutgoingMail[] = [];
    const mail = { send: async (m: OutgoingMail) => void sent.push(m) };
    await runWorkerJobs({ store, clock: systemClock, logger: silentLogger, env: { APP_SECRET: "x", PUBLIC_URL: "https://rathaus.example" }, senders: { mail, sms: devSmsOutbox() } });
    const mine = sent.filter((m) => m.to === recipient);
    expect(mine).toHaveLength(1);
    const row = await store.db.selectFrom("outbox").select(["id", "status", "payload", "attempts"]).where("recipient", "=", recipient).executeTakeFirstOrThrow();
    expect(row).toEqual({ id: row.id, status: "sent", payload: null, attempts: 1 });
    // The town's sender name with the Worker's default address, the town's texts, a stable Message-ID.
    expect(mine[0]).toMatchObject({
      from: { name: "Stadt Musterstadt", address: "no-reply@digitales-rathaus.example" },
      subject: "Ihr Konto wurde gelöscht – Digitales Rathaus Musterstadt",
      headers: { "Message-ID": `<${row.id}.${tenant}@digitales-rathaus>` },
    });
    expect(mine[0]!.text).toContain("Max");
  });

  it("keeps messages queued when no mail API is configured, without failing the Cron run", async () => {
    const store = d1Store(env.DB);
    const tenant = (await store.db.selectFrom("tenants").select("id").where("slug", "=", "musterstadt").executeTakeFirstOrThrow()).id;
    const recipient = `queued-${crypto.randomUUID()}@example.org`;
    await store.atomic([enqueue(store.db, tenant, { channel: "email", recipient, template: "account_deleted", lang: "de", vars: { name: "Max" } }, Date.now())]);
    // The senders of a Worker whose variables name no mail API and no SMS gateway.
    const vars = readWorkerVars({ APP_SECRET: "workers-test-secret" });
    await runWorkerJobs({ store, clock: systemClock, logger: silentLogger, env: vars, senders: workerSenders(vars, {}) });
    const row = await store.db.selectFrom("outbox").select(["status", "attempts", "last_error", "next_attempt_at", "payload"]).where("recipient", "=", recipient).executeTakeFirstOrThrow();
    expect(row.last_error).toContain("MAIL_API_URL");
    expect(row.status).toBe("pending");
    // Waiting for a provider uses up none of the message's attempts, keeps the message…
    expect(row.attempts).toBe(0);
    expect(JSON.parse(row.payload!)).toEqual({ name: "Max" });
    // …and is not retried within the same run: the next try is minutes away.
    expect(row.next_attempt_at).toBeGreaterThan(Date.now() + 60_000);
  });

  it("plans again a fan-out whose queue lost its messages, and its mails go out", { timeout: 120_000 }, async () => {
    const store = d1Store(env.DB);
    const tenant = (await store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
    const domain = `lost${crypto.randomUUID().slice(0, 8)}.example`;
    await seedSubscribers(tenant, 150, domain, "bauen-verkehr");
    // Published and planned eleven minutes ago; none of its pages was ever written.
    const then = Date.now() - 660_000;
    await env.DB.prepare(
      `INSERT INTO news (tenant_id, id, title, summary, body, body_html, topics, urgent, status, publish_at, published_at, fanned_out_at, fanout_plan, fanout_planned_at, created_by, created_at, updated_at)
       VALUES (?, ?, 'Straßensperrung', 'Ab Montag.', 'Text.', '<p>Text.</p>', '["bauen-verkehr"]', 0, 'published', NULL, ?, NULL, 'p_lost', ?, NULL, ?, ?)`,
    )
      .bind(tenant, `n_${crypto.randomUUID()}`, then, then, then, then)
      .run();
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: "* * * * *" }), env as unknown as WorkerEnv, ctx);
    await waitOnExecutionContext(ctx);
    await vi.waitFor(async () => expect(((await (await fetch(`${env.TEST_MAIL_SINK}/mails?domain=${domain}`)).json()) as unknown[]).length).toBe(150), { timeout: 60_000, interval: 250 });
  });

  it("shows a scheduled item it published on the isolate's very next request", async () => {
    const workerEnv = { ...env, APP_SECRET: "workers-test-secret" } as unknown as WorkerEnv;
    const list = async () => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request("http://rathaus.test/api/v1/tenants/tangerhuette/news"), workerEnv, ctx);
      await waitOnExecutionContext(ctx);
      return ((await res.json()) as { items: { title: string }[] }).items.map((i) => i.title);
    };
    const store = d1Store(env.DB);
    const tenant = (await store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
    const title = `Geplant ${crypto.randomUUID()}`;
    const due = Date.now() - 1_000;
    await env.DB.prepare(
      `INSERT INTO news (tenant_id, id, title, summary, body, body_html, topics, urgent, status, publish_at, published_at, fanned_out_at, created_by, created_at, updated_at)
       VALUES (?, ?, ?, 'Kurz.', 'Text.', '<p>Text.</p>', '["gesundheit"]', 0, 'scheduled', ?, NULL, NULL, NULL, ?, ?)`,
    )
      .bind(tenant, `n_${crypto.randomUUID()}`, title, due, due, due)
      .run();
    // The isolate now holds the town (for up to 5 s) and its news list without the item.
    expect(await list()).not.toContain(title);

    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: "* * * * *" }), workerEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(await list()).toContain(title);
  });

  it("puts a news mail whose queue message was lost back on the queue after half an hour, and it goes out once", { timeout: 120_000 }, async () => {
    const store = d1Store(env.DB);
    const tenant = (await store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
    const domain = `stranded${crypto.randomUUID().slice(0, 8)}.example`;
    const then = Date.now() - 31 * 60_000;
    const shared = { title: "Straßensperrung", summary: "Ab Montag.", bodyHtml: "<p>Text</p>", bodyText: "Text", readUrl: "https://www.tangerhuette.de/#rathaus/news/n_x" };
    // Written by a page half an hour ago; the delivery message naming it never came.
    await store.atomic([
      shareVars(store.db, tenant, "news:n_stranded:1", shared, then),
      enqueue(
        store.db,
        tenant,
        { channel: "email", recipient: `anna@${domain}`, template: "news", lang: "de", sharedId: "news:n_stranded:1", dedupeKey: `news:n_stranded:${domain}`, vars: { name: "Anna", unsubscribeUrl: "https://rathaus.test/u", topics: "Bauen" } },
        then,
      ),
    ]);
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: "* * * * *" }), env as unknown as WorkerEnv, ctx);
    await waitOnExecutionContext(ctx);
    await vi.waitFor(
      async () => {
        expect(await store.db.selectFrom("outbox").select(["status", "attempts"]).where("recipient", "=", `anna@${domain}`).executeTakeFirst()).toEqual({ status: "sent", attempts: 1 });
      },
      { timeout: 60_000, interval: 250 },
    );
    expect(((await (await fetch(`${env.TEST_MAIL_SINK}/mails?domain=${domain}`)).json()) as unknown[]).length).toBe(1);
  });
});
