import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../server/lib/clock.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { type MailCatcher, startMailCatcher } from "../../server/node/mail-catcher.js";
import { newsFanout } from "../../server/news/fanout.js";
import { createTestApp } from "../harness/node.js";
import { type Started, root, startServer } from "./process.js";
import { insertPublishedNews, seedSubscribers } from "./seed.js";

const cleanup: Array<() => unknown> = [];
afterAll(async () => {
  for (const f of cleanup.reverse()) await f();
});

/** Tangerhütte in a fresh in-memory database with `count` verified subscribers to "gesundheit". */
async function townWithSubscribers(count: number) {
  const t = await createTestApp();
  cleanup.push(() => t.close());
  const sqlite = (t.store as unknown as { sqlite: import("better-sqlite3").Database }).sqlite;
  const tenant = (await t.store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
  seedSubscribers(sqlite, tenant, count, "gesundheit", t.clock.now());
  return { t, tenant };
}

describe("news fan-out survives crashes", () => {
  it("stops a running fan-out when the item is withdrawn, and a re-publish after an edit sends the corrected text", async () => {
    const { t, tenant } = await townWithSubscribers(30);
    const now = t.clock.now();
    await insertPublishedNews(t.store.db, tenant, { id: "n_wrong", title: "Impftermin 3. Mai", summary: "Falsch", body: "3. Mai", topics: ["gesundheit"] }, now);
    // Staff withdraw the item while the first page is being written.
    let pages = 0;
    const store = {
      ...t.store,
      atomic: async (q: Parameters<typeof t.store.atomic>[0]) => {
        await t.store.atomic(q);
        if (++pages === 1) await t.store.db.updateTable("news").set({ status: "draft", updated_at: now + 1 }).where("id", "=", "n_wrong").execute();
      },
    };
    await newsFanout({ store, clock: t.clock, secret: "s", publicUrl: "http://rathaus.test", pageSize: 10 }).runDue();
    expect((await t.store.db.selectFrom("outbox").select("id").execute()).length).toBe(10);

    // Corrected and published again: the rest get the new text, nobody gets it twice.
    await t.store.db.updateTable("news").set({ status: "published", title: "Impftermin 5. Mai", body: "5. Mai", body_html: "<p>5. Mai</p>", updated_at: now + 2 }).where("id", "=", "n_wrong").execute();
    await t.deliver();
    const subjects = t.mails().map((m) => m.subject);
    expect(subjects.filter((s) => s === "Impftermin 5. Mai")).toHaveLength(20);
    expect(subjects.filter((s) => s === "Impftermin 3. Mai")).toHaveLength(10);
    for (const m of t.mails()) expect(m.text).toContain(m.subject === "Impftermin 5. Mai" ? "5. Mai" : "3. Mai");
    expect(new Set(t.mails().map((m) => m.to[0])).size).toBe(30);
  });

  it("a fan-out that dies half-way and runs again writes every recipient's message exactly once", async () => {
    const { t, tenant } = await townWithSubscribers(250);
    const now = t.clock.now();
    await insertPublishedNews(t.store.db, tenant, { id: "n_crash", title: "Hitzewarnung", summary: "Bitte viel trinken.", body: "Text", topics: ["gesundheit"] }, now);

    // The second page's transaction fails, as if the process died there.
    let pages = 0;
    const dying = { ...t.store, atomic: async (q: Parameters<typeof t.store.atomic>[0]) => (++pages === 2 ? Promise.reject(new Error("killed")) : t.store.atomic(q)) };
    const fanout = (store: typeof t.store) => newsFanout({ store, clock: t.clock, secret: "s", publicUrl: "http://rathaus.test", pageSize: 100 });
    await expect(fanout(dying).runDue()).rejects.toThrow("killed");
    const partial = await t.store.db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(partial.n).toBe(100);

    await fanout(t.store).runDue();
    await fanout(t.store).runDue();
    const rows = await t.store.db.selectFrom("outbox").select(["recipient"]).where("dedupe_key", "like", "news:n_crash:%").execute();
    expect(rows).toHaveLength(250);
    expect(new Set(rows.map((r) => r.recipient)).size).toBe(250);
    const item = await t.store.db.selectFrom("news").select("fanned_out_at").where("id", "=", "n_crash").executeTakeFirstOrThrow();
    expect(item.fanned_out_at).not.toBeNull();
  });

  it("goes on where the last run stopped when each run may write only some pages (Workers' Cron)", async () => {
    const { t, tenant } = await townWithSubscribers(25);
    await insertPublishedNews(t.store.db, tenant, { id: "n_paged", title: "Schrittweise", summary: "s", body: "b", topics: ["gesundheit"] }, t.clock.now());
    const fanout = newsFanout({ store: t.store, clock: t.clock, secret: "s", publicUrl: "http://rathaus.test", pageSize: 10, maxPages: 1 });
    const count = async () => (await t.store.db.selectFrom("outbox").select("id").where("dedupe_key", "like", "news:n_paged:%").execute()).length;
    const fannedOut = async () => (await t.store.db.selectFrom("news").select("fanned_out_at").where("id", "=", "n_paged").executeTakeFirstOrThrow()).fanned_out_at;
    await fanout.runDue();
    expect(await count()).toBe(10);
    await fanout.runDue();
    expect(await count()).toBe(20);
    expect(await fannedOut()).toBeNull();
    await fanout.runDue();
    await fanout.runDue();
    expect(await count()).toBe(25);
    expect(await fannedOut()).not.toBeNull();
  });

  it("killing the server (SIGKILL) mid-send and starting it again delivers every remaining mail", async () => {
    const recipients = 600;
    const dataDir = mkdtempSync(join(tmpdir(), "dr-crash-"));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const catcher: MailCatcher = await startMailCatcher({ max: 5000 });
    cleanup.push(() => catcher.close());

    // The town's database as it is after months of registrations.
    const { store } = await bootstrapStore({ databaseFile: join(dataDir, "rathaus.sqlite"), migrationsDir: join(root, "migrations"), tenantsDir: join(root, "tenants"), clock: systemClock });
    const tenant = (await store.db.selectFrom("tenants").select("id").where("slug", "=", "tangerhuette").executeTakeFirstOrThrow()).id;
    const emails = seedSubscribers(store.sqlite, tenant, recipients, "gesundheit");
    await store.close();

    const env = { DATA_DIR: dataDir, SMTP_URL: catcher.url };
    let server: Started = await startServer(env);
    cleanup.push(() => server.child.kill("SIGKILL"));
    const api = `http://localhost:${server.apiPort}/api/v1/tenants/tangerhuette`;
    const login = await (await fetch(`${api}/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: "redaktion@tangerhuette.example", password: "Rathaus-Demo-2026" }) })).json() as { token: string };
    const auth = { Authorization: `Bearer ${login.token}`, "Content-Type": "application/json" };
    const item = await (await fetch(`${api}/news`, { method: "POST", headers: auth, body: JSON.stringify({ title: "Unwetterwarnung", summary: "Sturmböen ab 18 Uhr.", body: "Bitte sichern Sie lose Gegenstände.", topics: ["gesundheit"], urgent: true }) })).json() as { id: string };
    expect((await fetch(`${api}/news/${item.id}/publish`, { method: "POST", headers: auth })).status).toBe(200);

    // Tangerhütte's SMTP rate (500/s) spreads the sending out; pull the plug part-way.
    await catcher.waitFor(() => catcher.count() >= 100, 30_000);
    server.child.kill("SIGKILL");
    await server.exited;
    const beforeRestart = catcher.count();
    expect(beforeRestart).toBeLessThan(recipients);

    server = await startServer(env);
    await catcher.waitFor(() => new Set(catcher.list().filter((m) => m.subject === "Unwetterwarnung").flatMap((m) => m.to)).size >= recipients, 60_000);
    server.child.kill("SIGTERM");
    await server.exited;

    const news = catcher.list().filter((m) => m.subject === "Unwetterwarnung");
    const byRecipient = new Map<string, string[]>();
    for (const m of news) for (const to of m.to) byRecipient.set(to, [...(byRecipient.get(to) ?? []), m.headers["message-id"]!]);
    // Everybody got the warning…
    expect([...byRecipient.keys()].sort()).toEqual([...emails].sort());
    // …and the only repeats are the few mails in flight at the moment of the kill, sent again
    // under the same Message-ID so that receiving mail systems recognise them.
    const repeated = [...byRecipient.values()].filter((ids) => ids.length > 1);
    expect(repeated.length).toBeLessThanOrEqual(8);
    for (const ids of repeated) expect(new Set(ids).size).toBe(1);
  }, 120_000);
});
