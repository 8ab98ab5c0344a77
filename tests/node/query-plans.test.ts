import { type CompiledQuery, Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../../server/db/schema.js";
import { silentLogger } from "../../server/http/logger.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import type { SqliteStore } from "../../server/node/sqlite-store.js";
import { listAwaitingFanout, listPublished, listToPlan, pageBoundaries, publishDueNews, subscribersPage, townsWithDueNews } from "../../server/news/repo.js";
import { createDispatcher } from "../../server/outbox/dispatcher.js";
import { findActiveTenantBySlug } from "../../server/tenants/repo.js";
import { root } from "./process.js";
import { seedSubscribers } from "./seed.js";

/*
 * The queries that run on every request or every few seconds must find their rows through an
 * index: with 100 towns × 1,000 news items, one full scan of `news` held the event loop for about
 * 50 ms, on every scheduler tick. Each test runs the app's own function against a recording
 * Kysely, so what is explained is exactly the SQL the app sends, with its parameters.
 */

const now = Date.UTC(2026, 10, 25, 9);
const towns = 100;
const newsPerTown = 100;

interface Setup {
  store: SqliteStore;
  /** A town's id by its position in the seed (0 … towns-1). */
  town: (i: number) => string;
}

/** Shipped towns plus `towns` more, each with `newsPerTown` items in every state, and a busy outbox. */
async function seededDatabase(): Promise<Setup> {
  const { store } = await bootstrapStore({ databaseFile: ":memory:", migrationsDir: `${root}migrations`, tenantsDir: `${root}tenants`, clock: { now: () => now } });
  const sqlite = store.sqlite;
  const town = (i: number) => `t_seed${String(i).padStart(3, "0")}`;
  sqlite.transaction(() => {
    const tenant = sqlite.prepare(`INSERT INTO tenants (id, slug, config, config_hash, active, created_at, updated_at)
      SELECT ?, ?, config, config_hash, 1, created_at, updated_at FROM tenants WHERE slug = 'tangerhuette'`);
    const news = sqlite.prepare(`INSERT INTO news (tenant_id, id, title, summary, body, body_html, topics, status, publish_at, published_at, fanned_out_at, created_at, updated_at)
      VALUES (?, ?, 'Titel', 'Kurz', 'Text', '<p>Text</p>', '["gesundheit"]', ?, ?, ?, ?, ?, ?)`);
    const message = sqlite.prepare(`INSERT INTO outbox (tenant_id, id, channel, recipient, template, lang, payload, status, attempts, next_attempt_at, created_at, sent_at)
      VALUES (?, ?, 'email', 'x@example.org', 'news', 'de', NULL, ?, 1, ?, ?, ?)`);
    for (let i = 0; i < towns; i++) {
      const t = town(i);
      tenant.run(t, `seed-${i}`);
      for (let j = 0; j < newsPerTown; j++) {
        const at = now - (newsPerTown - j) * 60_000;
        const id = `n_${String(j).padStart(4, "0")}`;
        if (j % 20 === 1) news.run(t, id, "scheduled", now + 86_400_000, null, null, at, at);
        else if (j % 20 === 2) news.run(t, id, "draft", null, null, null, at, at);
        else news.run(t, id, "published", null, at, at + 1_000, at, at);
        message.run(t, `o_${j}`, "sent", at, at, at + 1_000);
      }
      // A few towns have an item that still awaits its fan-out, a few one that is due now.
      if (i % 25 === 0) news.run(t, "n_fresh", "published", null, now - 1_000, null, now - 1_000, now - 1_000);
      if (i % 30 === 0) news.run(t, "n_due", "scheduled", now - 1_000, null, null, now - 60_000, now - 60_000);
      message.run(t, "o_later", "pending", now + 60_000, now, null);
    }
  })();
  seedSubscribers(sqlite, town(0), 2_000, "gesundheit", now);
  return { store, town };
}

/** Runs `f` against a Kysely on the same database that records every statement it sends. */
async function statementsOf(store: SqliteStore, f: (db: Db) => Promise<unknown>): Promise<CompiledQuery[]> {
  const sent: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: store.sqlite }),
    log: (e) => {
      if (e.level === "query") sent.push(e.query);
    },
  });
  await f(db);
  expect(sent.length).toBeGreaterThan(0);
  return sent;
}

function planOf(store: SqliteStore, q: CompiledQuery): string[] {
  const rows = store.sqlite.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>;
  return rows.map((r) => r.detail);
}

/** Steps that read a whole table (or a whole index): any SCAN of a table, not of json_each or a constant. */
function fullScans(plan: ReadonlyArray<string>): string[] {
  return plan.filter((d) => /^SCAN /.test(d) && !/VIRTUAL TABLE/.test(d) && !/^SCAN (CONSTANT ROW|\(subquery)/.test(d));
}

/** The plans of every statement `f` sends, asserted free of full scans. */
async function plansOf(store: SqliteStore, f: (db: Db) => Promise<unknown>): Promise<string[]> {
  const plans: string[] = [];
  for (const q of await statementsOf(store, f)) {
    const plan = planOf(store, q);
    expect(fullScans(plan), `${q.sql}\n${plan.join("\n")}`).toEqual([]);
    plans.push(...plan);
  }
  return plans;
}

describe.each([
  { stats: "without statistics, as the app runs", analyze: false },
  { stats: "with statistics (ANALYZE) of a busy database", analyze: true },
])("query plans $stats", ({ analyze }) => {
  let s: Setup;
  beforeAll(async () => {
    s = await seededDatabase();
    if (analyze) s.store.sqlite.exec("ANALYZE");
  });
  afterAll(() => s.store.close());

  it("finds published items awaiting their fan-out through news_awaiting_fanout (scheduler, every few seconds)", async () => {
    let items: Awaited<ReturnType<typeof listAwaitingFanout>> = [];
    const plan = await plansOf(s.store, async (db) => (items = await listAwaitingFanout(db)));
    expect(plan.join("\n")).toMatch(/^SEARCH news USING INDEX news_awaiting_fanout /m);
    expect(items.map((n) => `${n.tenantId}/${n.id}`).sort()).toEqual([0, 25, 50, 75].map((i) => `${s.town(i)}/n_fresh`));
  });

  it("finds the towns with due news through news_due (scheduler, every few seconds)", async () => {
    let due: string[] = [];
    const plan = await plansOf(s.store, async (db) => (due = await townsWithDueNews(db, now)));
    expect(plan.join("\n")).toMatch(/^SEARCH news USING (COVERING )?INDEX news_due /m);
    expect(due.sort()).toEqual([0, 30, 60, 90].map(s.town));
  });

  it("publishes due news and raises their towns' content versions without a full scan", async () => {
    for (const q of publishDueNews(s.store.db, now)) {
      const compiled = q.compile();
      const plan = planOf(s.store, compiled);
      expect(fullScans(plan), `${compiled.sql}\n${plan.join("\n")}`).toEqual([]);
    }
  });

  it("lists one town's published news through news_published, in index order, on every page", async () => {
    const variants = [
      { limit: 21 },
      { limit: 21, topic: "gesundheit" },
      { limit: 21, after: { publishedAt: now - 50 * 60_000, id: "n_0050" } },
      { limit: 21, topic: "gesundheit", after: { publishedAt: now - 50 * 60_000, id: "n_0050" } },
    ];
    for (const opts of variants) {
      let page: Awaited<ReturnType<typeof listPublished>> = [];
      const plan = await plansOf(s.store, async (db) => (page = await listPublished(db, s.town(7), opts)));
      expect(plan.join("\n")).toMatch(/^SEARCH news USING INDEX news_published \(tenant_id=\? AND status=\?/m);
      // A later page starts at its cursor in the index instead of reading every newer item first.
      if (opts.after) expect(plan.join("\n")).toMatch(/news_published \(tenant_id=\? AND status=\? AND \(published_at,id\)<\(\?,\?\)\)/);
      // Ordered by the index: no sorting of all of the town's items to return the newest 21.
      expect(plan.filter((d) => d.includes("TEMP B-TREE"))).toEqual([]);
      expect(page).toHaveLength(21);
      expect(page.every((n) => n.tenantId === s.town(7) && n.status === "published")).toBe(true);
    }
  });

  it("finds a town by its slug through the slug's unique index (every tenant-scoped request)", async () => {
    let found: Awaited<ReturnType<typeof findActiveTenantBySlug>> = null;
    const plan = await plansOf(s.store, async (db) => (found = await findActiveTenantBySlug(db, "seed-42")));
    expect(plan.join("\n")).toMatch(/^SEARCH tenants USING INDEX \w+ \(slug=\?\)/m);
    expect(found!.id).toBe(s.town(42));
  });

  it("claims due outbox messages through outbox_due (dispatcher, every few seconds)", async () => {
    let claimed = -1;
    const plan = await plansOf(s.store, async (db) => {
      // The dispatcher's own claim, sent through the recording database; nothing is due, so nothing is sent.
      claimed = await createDispatcher({ ...dispatcherDeps(s.store), store: { ...s.store, db } }).runOnce();
    });
    expect(claimed).toBe(0);
    expect(plan.join("\n")).toMatch(/^SEARCH outbox USING (COVERING )?INDEX outbox_due \(status=\? AND next_attempt_at<\?\)/m);
  });

  it("claims messages to one person through outbox_due_single (the sweep after every request that queued a code)", async () => {
    let claimed = -1;
    const plan = await plansOf(s.store, async (db) => {
      claimed = (await createDispatcher({ ...dispatcherDeps(s.store), store: { ...s.store, db } }).sendSingles()).claimed;
    });
    expect(claimed).toBe(0);
    expect(plan.join("\n")).toMatch(/^SEARCH outbox USING (COVERING )?INDEX outbox_due_single \(status=\? AND next_attempt_at<\?\)/m);
  });

  it("finds items whose queued fan-out is to be planned through news_awaiting_fanout (Workers' Cron, every minute)", async () => {
    let items: Awaited<ReturnType<typeof listToPlan>> = [];
    const plan = await plansOf(s.store, async (db) => (items = await listToPlan(db, now - 600_000)));
    expect(plan.join("\n")).toMatch(/^SEARCH news USING INDEX news_awaiting_fanout /m);
    expect(items).toHaveLength(4);
  });

  it("splits a town's subscribers into pages in one pass over the town's accounts by index (queued fan-out)", async () => {
    let ends: string[] = [];
    const plan = await plansOf(s.store, async (db) => (ends = await pageBoundaries(db, s.town(0), ["gesundheit"], 100)));
    expect(plan.join("\n")).toMatch(/SEARCH a USING INDEX \w+ \(tenant_id=\?\)/m);
    expect(ends).toHaveLength(20);
    expect(ends[0]).toBe("a_seed000099");
    // A page of the plan reads from its start to its end by key.
    let page: Awaited<ReturnType<typeof subscribersPage>> = [];
    const pagePlan = await plansOf(s.store, async (db) => (page = await subscribersPage(db, s.town(0), ["gesundheit"], ends[4]!, 100, ends[5]!)));
    expect(pagePlan.join("\n")).toMatch(/^SEARCH a USING INDEX \w+ \(tenant_id=\? AND id>\? AND id<\?\)/m);
    expect(page.map((r) => r.id)).toEqual(Array.from({ length: 100 }, (_, i) => `a_seed${String(500 + i).padStart(6, "0")}`));
  });

  it("pages through a town's subscribers from accounts by key (news fan-out, per 500 recipients)", async () => {
    let page: Awaited<ReturnType<typeof subscribersPage>> = [];
    const plan = await plansOf(s.store, async (db) => (page = await subscribersPage(db, s.town(0), ["gesundheit", "bauen"], "a_seed000999", 500)));
    expect(plan.join("\n")).toMatch(/^SEARCH a USING INDEX \w+ \(tenant_id=\? AND id>\?\)/m);
    expect(page).toHaveLength(500);
    expect(page[0]!.id).toBe("a_seed001000");
  });
});

function dispatcherDeps(store: SqliteStore) {
  return {
    store,
    clock: { now: () => now },
    mail: { send: async () => expect.fail("nothing is due") },
    sms: { send: async () => expect.fail("nothing is due") },
    logger: silentLogger,
    mailFrom: "no-reply@example.org",
    publicUrl: "http://localhost",
  };
}
