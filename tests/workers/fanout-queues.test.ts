import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker, { type WorkerEnv } from "../../server/worker.js";
import { newSession } from "../../server/accounts/sessions.js";
import { d1Store } from "../../server/workers/d1-store.js";
import type { SinkMail, SinkRule } from "../support/mail-api-sink.js";
import { seedSubscribers } from "./seed.js";

/**
 * A news item to a whole town through the Worker's real queues (local Queues in workerd), its
 * D1, its rate-limiting Durable Object, and a local server speaking the mail API.
 */
const base = "http://rathaus.test/api/v1/tenants/tangerhuette";
const workerEnv = env as unknown as WorkerEnv;
const store = d1Store(env.DB);

async function townId(slug: string) {
  return (await store.db.selectFrom("tenants").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
}

/** Gone again after each test, so the next publish does not reach them too. */
const seededDomains: string[] = [];
afterEach(async () => {
  for (const domain of seededDomains.splice(0)) {
    await env.DB.prepare(`DELETE FROM subscriptions WHERE account_id IN (SELECT id FROM accounts WHERE email LIKE '%@' || ?)`).bind(domain).run();
  }
});

async function staffToken(tenantId: string) {
  const id = `a_staff_${crypto.randomUUID()}`;
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO accounts (tenant_id, id, kind, role, email, email_verified_at, mobile, mobile_verified_at, password_hash, name, lang, privacy_version, privacy_accepted_at, demo, created_at, updated_at)
     VALUES (?, ?, 'person', 'staff', ?, ?, '+4917100000000', ?, 'x', 'Redaktion', 'de', 'seed', ?, 0, ?, ?)`,
  )
    .bind(tenantId, id, `${id}@rathaus.example`, now, now, now, now, now)
    .run();
  const session = await newSession(store.db, tenantId, id, now);
  await session.query.execute();
  return session.token;
}

/** A request through the Worker's entry, with what it leaves to run after its answer. */
async function request(path: string, init: { method: string; token: string; body?: unknown }) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${base}${path}`, {
      method: init.method,
      headers: { Authorization: `Bearer ${init.token}`, "Content-Type": "application/json", "CF-Connecting-IP": "192.0.2.10" },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    }),
    workerEnv,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function publish(token: string, title: string) {
  const created = await request("/news", { method: "POST", token, body: { title, summary: "Offenes Impfangebot ab Montag.", body: "Bitte bringen Sie Ihren Impfpass mit.", topics: ["gesundheit"] } });
  expect(created.status).toBe(201);
  const id = created.json.id as string;
  expect((await request(`/news/${id}/publish`, { method: "POST", token })).status).toBe(200);
  return id;
}

async function sinkMails(domain: string): Promise<SinkMail[]> {
  return (await fetch(`${env.TEST_MAIL_SINK}/mails?domain=${domain}`)).json();
}

async function sinkRules(domain: string, rules: SinkRule[]) {
  await fetch(`${env.TEST_MAIL_SINK}/rules/${domain}`, { method: "PUT", body: JSON.stringify(rules) });
}

type QueueHandler = NonNullable<typeof worker.queue>;
type Batch = Parameters<QueueHandler>[0];

/** Rows of the item's mails in the outbox, by state. */
async function outboxOf(tenantId: string, newsId: string) {
  const { results } = await env.DB.prepare(`SELECT status, attempts, COUNT(*) AS n FROM outbox WHERE tenant_id = ? AND dedupe_key LIKE ? GROUP BY status, attempts`)
    .bind(tenantId, `news:${newsId}:%`)
    .all<{ status: string; attempts: number; n: number }>();
  return results;
}

/** Every mail accepted once: no recipient twice, none missing, one Message-ID each. */
function expectExactlyOnce(mails: SinkMail[], emails: string[]) {
  expect(mails).toHaveLength(emails.length);
  expect(new Set(mails.map((m) => m.to))).toEqual(new Set(emails));
  expect(new Set(mails.map((m) => m.messageId)).size).toBe(emails.length);
}

async function fanOutTo(count: number, opts: { rules?: SinkRule[] } = {}) {
  const tenant = await townId("tangerhuette");
  const domain = `q${crypto.randomUUID().slice(0, 8)}.example`;
  seededDomains.push(domain);
  const emails = await seedSubscribers(tenant, count, domain, "gesundheit");
  if (opts.rules) await sinkRules(domain, opts.rules);
  const newsId = await publish(await staffToken(tenant), "Impfangebot im Rathaus");
  // Done when every message of the item is settled, not when a count is reached: a mail sent twice would come after.
  await vi.waitFor(
    async () => {
      const rows = await outboxOf(tenant, newsId);
      expect(rows.reduce((n, r) => n + (r.status === "sent" ? r.n : 0), 0)).toBe(count);
    },
    { timeout: 150_000, interval: 500 },
  );
  const item = await env.DB.prepare("SELECT fanned_out_at FROM news WHERE tenant_id = ? AND id = ?").bind(tenant, newsId).first<{ fanned_out_at: number | null }>();
  expect(item?.fanned_out_at).not.toBeNull();
  return { tenant, domain, emails, newsId, mails: await sinkMails(domain), outbox: await outboxOf(tenant, newsId) };
}

describe("news fan-out through Cloudflare Queues", () => {
  it("publishes to 2,000 verified subscribers: exactly 2,000 mails reach the mail API, none twice", { timeout: 180_000 }, async () => {
    const run = await fanOutTo(2_000);
    expectExactlyOnce(run.mails, run.emails);
    // Each sent on its first attempt, from the pages' delivery messages.
    expect(run.outbox).toEqual([{ status: "sent", attempts: 1, n: 2_000 }]);
  });

  it("loses and doubles nothing when consumers die on a first attempt, before or after doing their work", { timeout: 180_000 }, async () => {
    const original = worker.queue as QueueHandler;
    const faults = { before: new Set<string>(), after: new Set<string>() };
    const seen = new Map<string, number>();
    // Per kind of message, the first batch on its first attempt dies after all its work (its
    // acknowledgements lost), the second before touching anything, then every fifth again.
    // Either way the batch fails as a thrown exception fails it: the queue delivers it again.
    worker.queue = async (batch: Batch, e: WorkerEnv) => {
      // The local queue may hand over an empty batch.
      if (batch.messages.length === 0) return original.call(worker, batch, e);
      const type = (batch.messages[0]!.body as { type: string }).type;
      const k = batch.messages.some((m) => m.attempts > 1) ? -1 : (seen.get(type) ?? 0);
      if (k >= 0) seen.set(type, k + 1);
      if (k === 0 || (k > 1 && k % 5 === 0)) {
        const unacked = batch.messages.map((m) => ({ body: m.body, attempts: m.attempts, id: m.id, timestamp: m.timestamp, ack() {}, retry() {} }));
        await original.call(worker, { ...batch, messages: unacked } as unknown as Batch, e);
        faults.after.add(type);
        return batch.retryAll();
      }
      if (k === 1) {
        faults.before.add(type);
        return batch.retryAll();
      }
      return original.call(worker, batch, e);
    };
    try {
      const run = await fanOutTo(2_000);
      expectExactlyOnce(run.mails, run.emails);
      expect(run.outbox).toEqual([{ status: "sent", attempts: 1, n: 2_000 }]);
    } finally {
      worker.queue = original;
    }
    // The faults did happen: the plan was made twice, pages and deliveries died both ways.
    expect(faults.after).toEqual(new Set(["plan", "page", "send"]));
    expect(faults.before).toEqual(new Set(["page", "send"]));
  });

  it("delivers everything once while the mail API answers 429 and 503 for a while", { timeout: 180_000 }, async () => {
    // 300 refusals asking to come back in a second, then 20 without saying when (the backoff's 30 s).
    const run = await fanOutTo(2_000, {
      rules: [
        { status: 429, times: 200, retryAfter: 1 },
        { status: 503, times: 100, retryAfter: 1 },
        { status: 503, times: 20 },
      ],
    });
    expectExactlyOnce(run.mails, run.emails);
    // Asked to wait, a message keeps its attempts; a plain 503 uses one.
    expect(run.outbox).toEqual([
      { status: "sent", attempts: 1, n: 1_980 },
      { status: "sent", attempts: 2, n: 20 },
    ]);
  });
});
