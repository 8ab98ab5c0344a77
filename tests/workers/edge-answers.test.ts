import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../../server/app.js";
import { silentLogger } from "../../server/http/logger.js";
import { memoryAnswerStore } from "../../server/http/public-answers.js";
import type { TenantDefinition } from "../../server/tenants/definitions.js";
import { shippedTowns } from "./tenant-sources.js";
import { databaseTenantRegistry } from "../../server/tenants/registry.js";
import { syncTenants } from "../../server/tenants/sync.js";
import { workersArgon2Hasher } from "../../server/workers/argon2-hasher.js";
import { d1Store } from "../../server/workers/d1-store.js";
import { r2BlobStore } from "../../server/workers/r2-blobs.js";
import { type EdgeCache, edgeAnswerStore } from "../../server/workers/edge-answers.js";
import { createTestApp } from "../harness/workers.js";
import { type TestApp, testClock, testPeer, testPublicUrl, testSecret } from "../harness/types.js";
import { api, call, verifiedAccount } from "../api/flows.js";

/**
 * Public answers on Workers as two isolates of one data center see them: each has its own
 * memory and its own town registry, both share the local D1 and `caches.default`. What the
 * tests rely on: an answer built by one isolate is served by the other from the Cache API,
 * and a publish or sync reaches both through new keys, not through deleting entries.
 */
const origin = "http://rathaus.test";
const T = `${origin}${api("tangerhuette")}`;
const registryTtl = 5_000;
/** The key the news route gives the plain list (no topic, limit or cursor): see server/news/routes.ts. */
const plainListKey = "news";

const store = d1Store(env.DB);
const clock = testClock();
const edgeCache = (caches as unknown as { default: EdgeCache }).default;

const deployId = "test-deploy";
function isolate(answerStore = edgeAnswerStore(memoryAnswerStore(), edgeCache, deployId)): App {
  return createApp({
    store,
    clock,
    tenants: databaseTenantRegistry(store, clock, registryTtl),
    hasher: workersArgon2Hasher,
    blobs: r2BlobStore(env.BLOBS),
    secret: testSecret,
    logger: silentLogger,
    publicUrl: testPublicUrl,
    clientAddress: { peer: testPeer, trustProxy: 0 },
    answerStore,
  });
}

async function get(app: App, url: string, headers: Record<string, string> = {}) {
  const res = await app.request(url, { headers });
  const names = [...res.headers.keys()].filter((name) => name !== "x-request-id").sort();
  return { status: res.status, etag: res.headers.get("etag"), cacheControl: res.headers.get("cache-control"), names, body: await res.text() };
}

async function send(app: App, method: string, url: string, token: string, body?: unknown) {
  const res = await app.request(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function town() {
  return store.db.selectFrom("tenants").select(["id", "config_hash", "content_version"]).where("slug", "=", "tangerhuette").executeTakeFirstOrThrow();
}

/** Where edgeAnswerStore keeps an answer of this town version in the Cache API. */
async function cacheUrlOf(routeKey: string) {
  const t = await town();
  return `${origin}/__answers/${deployId}/${encodeURIComponent(`${t.id}/${t.config_hash}/${t.content_version}/${routeKey}`)}`;
}

const originalDefinitions = (): TenantDefinition[] => shippedTowns();

let helper: TestApp;
let staff: string;
let seeded: { id: string; title: string };

beforeAll(async () => {
  // A staff member of Tangerhütte as an admin sets one up, and one published item to list.
  helper = await createTestApp();
  const account = await verifiedAccount(helper, "tangerhuette");
  await store.db.updateTable("accounts").set({ role: "staff" }).where("id", "=", account.account.id).execute();
  staff = account.token;
  const title = `Edge-Meldung ${crypto.randomUUID()}`;
  const created = await call(helper, "POST", `${api("tangerhuette")}/news`, { token: staff, body: { title, summary: "Kurz.", body: "Text.", topics: ["gesundheit"] } });
  expect(created.status).toBe(201);
  expect((await call(helper, "POST", `${api("tangerhuette")}/news/${created.json.id}/publish`, { token: staff })).status).toBe(200);
  seeded = { id: created.json.id as string, title };
}, 60_000);

afterAll(async () => {
  await helper.close();
  // Other files may share this D1: the towns go back to what tenants/ defines.
  await syncTenants(store, clock, originalDefinitions());
});

describe("public answers shared through the Cache API", () => {
  // Two isolates for the whole sequence: what one builds, the other must find.
  const a = isolate();
  const b = isolate();
  let listEtag: string;
  let listBody: string;

  it("serves another isolate's answer from the Cache API, with the same ETag and the route's own Cache-Control", { timeout: 60_000 }, async () => {
    const first = await get(a, `${T}/news`);
    expect(first.status).toBe(200);
    expect(first.body).toContain(seeded.title);
    expect(first.cacheControl).toBe("public, max-age=30");
    listEtag = first.etag!;
    listBody = first.body;
    expect(listEtag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    // The data changes while the town's version says it did not: only a cached answer still shows the old title.
    const changed = `Geändert ohne Versionssprung ${crypto.randomUUID()}`;
    const update = await env.DB.prepare("UPDATE news SET title = ? WHERE tenant_id = ? AND id = ?").bind(changed, (await town()).id, seeded.id).run();
    expect(update.meta.changes).toBe(1);
    // Control: an isolate without the Cache API behind its memory builds from the database and sees the change.
    const uncached = await get(isolate(memoryAnswerStore()), `${T}/news`);
    expect(uncached.body).toContain(changed);
    expect(uncached.etag).not.toBe(listEtag);

    // B never answered this before; its memory is empty, so the answer can only come from caches.default.
    const fromCache = await get(b, `${T}/news`);
    expect(fromCache.status).toBe(200);
    expect(fromCache.body).toBe(listBody);
    expect(fromCache.body).not.toContain(changed);
    expect(fromCache.etag).toBe(listEtag);
    // The route's Cache-Control for browsers, not the day the data center keeps the entry.
    expect(fromCache.cacheControl).toBe("public, max-age=30");
    // And none of the cache's own headers (Age, Date, CF-Cache-Status): the same headers as A's answer.
    expect(fromCache.names).toEqual(first.names);

    // The entry is where edgeAnswerStore puts it: under the town's id, config hash and content version.
    const entry = await edgeCache.match(await cacheUrlOf(plainListKey));
    expect(entry).toBeDefined();
    expect(entry!.headers.get("etag")).toBe(listEtag);
    expect(entry!.headers.get("cache-control")).toBe("public, max-age=86400");
    expect(entry!.headers.get("x-answer-cache-control")).toBe("public, max-age=30");
    expect(await entry!.text()).toBe(listBody);

    const revalidated = await get(b, `${T}/news`, { "If-None-Match": listEtag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.etag).toBe(listEtag);
    expect(revalidated.cacheControl).toBe("public, max-age=30");
    expect(revalidated.body).toBe("");
  });

  it("shows a publish at once on the isolate that made it, and on the other within the registry's TTL, without deleting entries", { timeout: 60_000 }, async () => {
    const oldEntryUrl = await cacheUrlOf(plainListKey);
    const versionBefore = (await town()).content_version;

    const title = `Neu über Isolat B ${crypto.randomUUID()}`;
    const created = await send(b, "POST", `${T}/news`, staff, { title, summary: "Frisch.", body: "Text.", topics: ["gesundheit"] });
    expect(created.status).toBe(201);
    const published = await send(b, "POST", `${T}/news/${created.json.id as string}/publish`, staff);
    expect(published.status).toBe(200);
    expect(published.json.status).toBe("published");
    expect((await town()).content_version).toBeGreaterThan(versionBefore);

    // B re-reads the town on its very next request and asks for new keys.
    const afterPublish = await get(b, `${T}/news`);
    expect(afterPublish.status).toBe(200);
    expect(afterPublish.body).toContain(title);
    expect(afterPublish.etag).not.toBe(listEtag);
    expect((await get(b, `${T}/news`, { "If-None-Match": listEtag })).status).toBe(200);
    expect((await get(b, `${T}/news`, { "If-None-Match": afterPublish.etag! })).status).toBe(304);

    // A holds the town for up to the registry's TTL (the documented bound for other isolates)…
    const beforeTtl = await get(a, `${T}/news`);
    expect(beforeTtl.etag).toBe(listEtag);
    expect(beforeTtl.body).not.toContain(title);

    // …and then asks for the new version's key like B did.
    clock.advance(registryTtl + 1);
    const afterTtl = await get(a, `${T}/news`);
    expect(afterTtl.status).toBe(200);
    expect(afterTtl.body).toContain(title);
    expect(afterTtl.etag).toBe(afterPublish.etag);
    expect((await get(a, `${T}/news`, { "If-None-Match": listEtag })).status).toBe(200);

    // Purging was by key: the old version's entry is still there, just never asked for again.
    expect(await edgeCache.match(oldEntryUrl)).toBeDefined();
    expect(oldEntryUrl).not.toBe(await cacheUrlOf(plainListKey));
  });

  it("shows a sync's new configuration on both isolates within the registry's TTL", { timeout: 60_000 }, async () => {
    const before = await Promise.all([get(a, T), get(b, T)]);
    for (const res of before) {
      expect(res.status).toBe(200);
      expect((JSON.parse(res.body) as { name: string }).name).toBe("Tangerhütte");
      expect(res.cacheControl).toBe("public, max-age=60");
    }
    const configEtag = before[0].etag!;
    expect(before[1].etag).toBe(configEtag);
    const { config_hash: hashBefore, content_version: versionBefore } = await town();

    const renamed = `Tangerhütte ${crypto.randomUUID().slice(0, 8)}`;
    const defs = originalDefinitions().map((d) => (d.config.slug === "tangerhuette" ? { ...d, config: { ...d.config, name: renamed } } : d));
    try {
      const report = await syncTenants(store, clock, defs);
      expect(report.updated).toEqual(["tangerhuette"]);
      // A sync changes the config hash, not the content version: the hash alone must make new keys.
      const after = await town();
      expect(after.config_hash).not.toBe(hashBefore);
      expect(after.content_version).toBe(versionBefore);

      clock.advance(registryTtl + 1);
      const [fromA, fromB] = await Promise.all([get(a, T), get(b, T)]);
      for (const res of [fromA, fromB]) {
        expect(res.status).toBe(200);
        expect((JSON.parse(res.body) as { name: string }).name).toBe(renamed);
        expect(res.etag).not.toBe(configEtag);
        expect(res.cacheControl).toBe("public, max-age=60");
      }
      expect(fromB.etag).toBe(fromA.etag);
      expect((await get(b, T, { "If-None-Match": configEtag })).status).toBe(200);
      expect((await get(a, T, { "If-None-Match": fromA.etag! })).status).toBe(304);
    } finally {
      await syncTenants(store, clock, originalDefinitions());
    }
    expect((await town()).config_hash).toBe(hashBefore);
  });
});
