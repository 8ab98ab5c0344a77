import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "#harness";
import { type App, createApp } from "../../server/app.js";
import { silentLogger } from "../../server/http/logger.js";
import { newsFanout } from "../../server/news/fanout.js";
import type { TenantDefinition } from "../../server/tenants/definitions.js";
import { type TenantRegistry, databaseTenantRegistry } from "../../server/tenants/registry.js";
import { findTenantLogo, findTenantMailLogo, listActiveTenants } from "../../server/tenants/repo.js";
import { syncTenants } from "../../server/tenants/sync.js";
import { type TestApp, testPeer, testPublicUrl, testSecret } from "../harness/types.js";
import { api, call, demoOrigin, verifiedAccount } from "./flows.js";

/**
 * Public reads are answered from answers built once per town version. These tests hold the
 * promise that makes that safe: a change is visible on the next request of the process that
 * made it, and within the town cache's lifetime (5 s, as in production) on every other one.
 */
let t: TestApp;
let staff: string;
const ttl = 5_000;
const T = api("tangerhuette");

/** Another instance of the server on the same database, with production's town cache. */
function instance(): { app: App; tenants: TenantRegistry } {
  const tenants = databaseTenantRegistry(t.store, t.clock, ttl);
  const refuse = () => Promise.reject(new Error("no passwords on this instance"));
  const app = createApp({
    store: t.store,
    clock: t.clock,
    blobs: t.blobs,
    tenants,
    hasher: { hash: refuse, verify: refuse },
    logger: silentLogger,
    clientAddress: { peer: testPeer, trustProxy: 0 },
    secret: testSecret,
    publicUrl: testPublicUrl,
  });
  return { app, tenants };
}

/** A request to one instance, as `call` makes them to the test app. */
const req = (app: App, method: string, path: string, opts: Parameters<typeof call>[3] = {}) => call({ app }, method, path, opts);

let n = 0;
async function draft(app: App, overrides: Record<string, unknown> = {}) {
  const res = await req(app, "POST", `${T}/news`, { token: staff, body: { title: `Aushang ${++n}`, summary: "Kurz.", body: "Text.", topics: ["gesundheit"], ...overrides } });
  expect(res.status).toBe(201);
  return res.json as { id: string; title: string };
}

const titles = (res: { json: { items: { title: string }[] } }) => res.json.items.map((i) => i.title);

beforeAll(async () => {
  t = await createTestApp();
  const a = await verifiedAccount(t, "tangerhuette");
  await t.store.db.updateTable("accounts").set({ role: "staff" }).where("id", "=", a.account.id).execute();
  staff = a.token;
});
afterAll(() => t.close());

describe("public reads after a change", () => {
  it("show a publish, an edit, an unpublish and a delete on the very next request of the same process", async () => {
    const { app } = instance();
    const before = await req(app, "GET", `${T}/news`);
    expect(before.status).toBe(200);
    const item = await draft(app);

    expect((await req(app, "POST", `${T}/news/${item.id}/publish`, { token: staff })).status).toBe(200);
    const published = await req(app, "GET", `${T}/news`);
    expect(titles(published)).toContain(item.title);
    expect(published.headers.get("etag")).not.toBe(before.headers.get("etag"));
    // A browser holding the old answer gets the new one, not a 304.
    expect((await req(app, "GET", `${T}/news`, { headers: { "If-None-Match": before.headers.get("etag")! } })).status).toBe(200);
    expect((await req(app, "GET", `${T}/news/feed.atom`)).text).toContain(item.title);

    expect((await req(app, "PATCH", `${T}/news/${item.id}`, { token: staff, body: { title: "Geänderter Aushang" } })).status).toBe(200);
    expect((await req(app, "GET", `${T}/news/${item.id}`)).json.title).toBe("Geänderter Aushang");
    expect(titles(await req(app, "GET", `${T}/news`))).toContain("Geänderter Aushang");
    expect((await req(app, "GET", `${T}/news/feed.atom`)).text).toContain("Geänderter Aushang");

    expect((await req(app, "POST", `${T}/news/${item.id}/unpublish`, { token: staff })).status).toBe(200);
    expect(titles(await req(app, "GET", `${T}/news`))).not.toContain("Geänderter Aushang");
    expect((await req(app, "GET", `${T}/news/${item.id}`)).status).toBe(404);
    expect((await req(app, "GET", `${T}/news/feed.atom`)).text).not.toContain("Geänderter Aushang");

    expect((await req(app, "POST", `${T}/news/${item.id}/publish`, { token: staff })).status).toBe(200);
    expect((await req(app, "GET", `${T}/news/${item.id}`)).status).toBe(200);
    expect((await req(app, "DELETE", `${T}/news/${item.id}`, { token: staff })).status).toBe(204);
    expect((await req(app, "GET", `${T}/news/${item.id}`)).status).toBe(404);
    expect(titles(await req(app, "GET", `${T}/news`))).not.toContain("Geänderter Aushang");
  });

  it("reach every other process within the town cache's lifetime", async () => {
    const writer = instance();
    const reader = instance();
    const old = await req(reader.app, "GET", `${T}/news`);
    const item = await draft(writer.app);
    expect((await req(writer.app, "POST", `${T}/news/${item.id}/publish`, { token: staff })).status).toBe(200);

    t.clock.advance(ttl + 1);
    const fresh = await req(reader.app, "GET", `${T}/news`);
    expect(titles(fresh)).toContain(item.title);
    expect(fresh.headers.get("etag")).not.toBe(old.headers.get("etag"));
    expect((await req(reader.app, "GET", `${T}/news/${item.id}`)).json.title).toBe(item.title);
  });

  it("show a scheduled item on the next request once the scheduler has published it", async () => {
    const { app, tenants } = instance();
    // Due well within the town cache's lifetime: only telling the process makes the item show.
    const due = t.clock.now() + 1_000;
    const item = await draft(app, { publishAt: new Date(due).toISOString() });
    expect((await req(app, "POST", `${T}/news/${item.id}/publish`, { token: staff })).json.status).toBe("scheduled");
    expect(titles(await req(app, "GET", `${T}/news`))).not.toContain(item.title);

    t.clock.advance(1_001);
    await newsFanout({ store: t.store, clock: t.clock, secret: testSecret, publicUrl: testPublicUrl, onPublicChange: (id) => tenants.invalidate(id) }).runDue();
    expect(titles(await req(app, "GET", `${T}/news`))).toContain(item.title);
  });

  it("show a changed town configuration from a sync within the town cache's lifetime", async () => {
    const { app } = instance();
    const before = await req(app, "GET", T);
    expect(before.json.name).toBe("Tangerhütte");
    const defs: TenantDefinition[] = await Promise.all(
      (await listActiveTenants(t.store.db)).map(async (town) => ({
        config: town.config,
        logoSvg: await findTenantLogo(t.store.db, town.id),
        logoPng: await findTenantMailLogo(t.store.db, town.id),
        forms: [],
      })),
    );
    const renamed = defs.map((d) => (d.config.slug === "tangerhuette" ? { ...d, config: { ...d.config, name: "Tangerhütte (neu)" } } : d));
    try {
      await syncTenants(t.store, t.clock, renamed);
      t.clock.advance(ttl + 1);
      const after = await req(app, "GET", T);
      expect(after.json.name).toBe("Tangerhütte (neu)");
      expect(after.headers.get("etag")).not.toBe(before.headers.get("etag"));
    } finally {
      await syncTenants(t.store, t.clock, defs);
      t.clock.advance(ttl + 1);
    }
    expect((await req(app, "GET", T)).json.name).toBe("Tangerhütte");
  });
});

describe("revalidation", () => {
  it("answers 304 to the ETag it gave, in every spelling, with the headers a cache and the widget need", async () => {
    const { app } = instance();
    for (const path of [T, `${T}/news`, `${T}/news/feed.atom`]) {
      const first = await req(app, "GET", path, { headers: { Origin: demoOrigin } });
      const etag = first.headers.get("etag")!;
      expect(etag).toMatch(/^"[^"]+"$/);
      for (const condition of [etag, `W/${etag}`, `"something-else", ${etag}`, "*"]) {
        const again = await req(app, "GET", path, { headers: { Origin: demoOrigin, "If-None-Match": condition } });
        expect(again.status, `${path} with ${condition}`).toBe(304);
        expect(again.text).toBe("");
        expect(again.headers.get("etag")).toBe(etag);
        expect(again.headers.get("cache-control")).toBe(first.headers.get("cache-control"));
        expect(again.headers.get("access-control-allow-origin")).toBe(demoOrigin);
        expect(again.headers.get("vary")).toBe("Origin");
        expect(again.headers.get("x-request-id")).toMatch(/.+/);
      }
      expect((await req(app, "GET", path, { headers: { "If-None-Match": '"something-else"' } })).status).toBe(200);
    }
  });

  it("keeps the answers of each query and each town apart", async () => {
    const { app } = instance();
    const item = await draft(app, { topics: ["veranstaltungen"], title: "Nur Veranstaltungen" });
    expect((await req(app, "POST", `${T}/news/${item.id}/publish`, { token: staff })).status).toBe(200);
    const culture = await req(app, "GET", `${T}/news?topic=veranstaltungen`);
    const health = await req(app, "GET", `${T}/news?topic=gesundheit`);
    expect(titles(culture)).toContain("Nur Veranstaltungen");
    expect(titles(health)).not.toContain("Nur Veranstaltungen");
    expect((await req(app, "GET", `${T}/news?limit=1`)).json.items).toHaveLength(1);
    // The same path of another town is another answer, and one town's ETag means nothing there.
    const other = await req(app, "GET", `${api("musterstadt")}/news`);
    expect(titles(other)).not.toContain("Nur Veranstaltungen");
    const list = await req(app, "GET", `${T}/news`);
    expect((await req(app, "GET", `${api("musterstadt")}/news`, { headers: { "If-None-Match": list.headers.get("etag")! } })).status).toBe(200);
    // Queries that are not allowed are refused before anything is looked up.
    expect((await req(app, "GET", `${T}/news?limit=500`)).status).toBe(400);
  });
});
