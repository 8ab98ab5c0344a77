import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import type { Tenant } from "../tenants/tenant.js";
import type { TenantConfig } from "../tenants/schema.js";
import type { AppEnv } from "./env.js";
import { errorHandler } from "./error-handler.js";
import { AppError } from "./errors.js";
import { silentLogger } from "./logger.js";
import { type FreshAnswer, type PublicAnswer, etagMatches, memoryAnswerStore, publicAnswers } from "./public-answers.js";
import { requestContext } from "./request-context.js";

describe("etagMatches", () => {
  it("matches the exact tag a browser sends back", () => {
    expect(etagMatches('"abc"', '"abc"')).toBe(true);
  });

  it("matches any tag of a list", () => {
    expect(etagMatches('"a", "b"', '"a"')).toBe(true);
    expect(etagMatches('"a", "b"', '"b"')).toBe(true);
    expect(etagMatches('"a",W/"b"', '"b"')).toBe(true);
  });

  it("compares weakly: W/ on either side does not matter", () => {
    expect(etagMatches('W/"x"', '"x"')).toBe(true);
    expect(etagMatches('"x"', 'W/"x"')).toBe(true);
    expect(etagMatches('W/"x"', 'W/"x"')).toBe(true);
  });

  it("matches * whatever the tag", () => {
    expect(etagMatches("*", '"anything"')).toBe(true);
    expect(etagMatches('"other", *', '"anything"')).toBe(true);
  });

  it("does not match another tag, a look-alike or an empty header", () => {
    expect(etagMatches('"y"', '"x"')).toBe(false);
    expect(etagMatches('"a", "b"', '"c"')).toBe(false);
    expect(etagMatches('"xa"', '"x"')).toBe(false);
    expect(etagMatches('W/"y"', '"x"')).toBe(false);
    expect(etagMatches("", '"x"')).toBe(false);
    expect(etagMatches(" ", '"x"')).toBe(false);
  });
});

describe("memoryAnswerStore", () => {
  // The store ignores its context argument.
  const c = undefined as never;
  const answer = (chars = 100): PublicAnswer => ({ body: "x".repeat(chars), etag: '"e"', headers: {} });
  const key = (i: number) => `k${String(i).padStart(3, "0")}`;
  /** A store holding exactly `fit` answers of `answer()` under `key(…)`, filled with key(0)…key(fit-1). */
  function fullStore(fit: number) {
    const probe = memoryAnswerStore();
    probe.put(key(0), answer(), c);
    const entry = probe.bytes;
    // Room for `fit` entries and less than one more.
    const store = memoryAnswerStore(entry * fit + entry / 2);
    for (let i = 0; i < fit; i++) store.put(key(i), answer(), c);
    expect(store.size).toBe(fit);
    return store;
  }
  const has = (store: ReturnType<typeof memoryAnswerStore>, k: string) =>
    // Looking an entry up marks it as read: only use this where that no longer matters.
    store.get(k, c) !== undefined;

  it("stays within maxBytes however many answers are put", () => {
    const maxBytes = 20_000;
    const store = memoryAnswerStore(maxBytes);
    for (let i = 0; i < 1_000; i++) {
      store.put(`town/${i}`, answer(100 + (i % 7) * 50), c);
      expect(store.bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(store.size).toBeGreaterThan(0);
    expect(store.size).toBeLessThan(1_000);
    // The newest answer is always kept.
    expect(has(store, "town/999")).toBe(true);
  });

  it("drops the oldest unread answers first", () => {
    const store = fullStore(10);
    store.put(key(10), answer(), c);
    store.put(key(11), answer(), c);
    expect(store.size).toBe(10);
    expect(has(store, key(0))).toBe(false);
    expect(has(store, key(1))).toBe(false);
    for (let i = 2; i <= 11; i++) expect(has(store, key(i))).toBe(true);
  });

  it("gives an answer read since it was put one more round (second chance)", () => {
    const store = fullStore(10);
    expect(store.get(key(0), c)).toBeDefined();
    store.put(key(10), answer(), c);
    // key(0) was the oldest but had been read: the oldest unread one went instead.
    expect(store.size).toBe(10);
    expect(has(store, key(1))).toBe(false);
    expect(has(store, key(0))).toBe(true);
    for (let i = 2; i <= 10; i++) expect(has(store, key(i))).toBe(true);
  });

  it("gives only one more round: an answer not read again goes in its turn", () => {
    const store = fullStore(10);
    store.get(key(0), c);
    store.put(key(10), answer(), c); // drops key(1); key(0) gets another round, unread from now on
    for (let i = 11; i <= 20; i++) store.put(key(i), answer(), c);
    expect(store.size).toBe(10);
    expect(has(store, key(0))).toBe(false);
    for (let i = 11; i <= 20; i++) expect(has(store, key(i))).toBe(true);
  });

  it("does not store an answer larger than an eighth of maxBytes", () => {
    const store = memoryAnswerStore(8_000);
    store.put("big", answer(600), c); // 1,200 bytes of UTF-16 plus overhead > 1,000
    store.put("bytes", { body: new Uint8Array(1_000), etag: '"b"', headers: {} }, c);
    expect(store.get("big", c)).toBeUndefined();
    expect(store.get("bytes", c)).toBeUndefined();
    expect(store.bytes).toBe(0);
    expect(store.size).toBe(0);
    store.put("small", answer(100), c);
    expect(store.get("small", c)).toBeDefined();
    expect(store.bytes).toBeGreaterThan(0);
  });

  it("takes an answer of exactly an eighth of maxBytes, and not one byte more", () => {
    const store = memoryAnswerStore(8_000);
    const overhead = (() => {
      const probe = memoryAnswerStore();
      probe.put("a", { body: new Uint8Array(0), etag: '"e"', headers: {} }, c);
      return probe.bytes;
    })();
    store.put("a", { body: new Uint8Array(1_000 - overhead), etag: '"e"', headers: {} }, c);
    store.put("b", { body: new Uint8Array(1_000 - overhead + 1), etag: '"e"', headers: {} }, c);
    expect(store.get("a", c)).toBeDefined();
    expect(store.get("b", c)).toBeUndefined();
    expect(store.bytes).toBe(1_000);
  });

  it("counts an answer put twice under one key once", () => {
    const store = memoryAnswerStore();
    store.put("k", answer(100), c);
    const once = store.bytes;
    store.put("k", answer(100), c);
    expect(store.bytes).toBe(once);
    expect(store.size).toBe(1);
    // A replacement of another size is counted at its own size.
    store.put("k", answer(300), c);
    expect(store.bytes).toBe(once + 400);
    store.put("k", answer(100), c);
    expect(store.bytes).toBe(once);
  });
});

describe("publicAnswers().respond", () => {
  const config = { slug: "teststadt", name: "Teststadt" } as unknown as TenantConfig;
  const town: Tenant = { id: "t_test", slug: "teststadt", configHash: "h1", contentVersion: 1, config, hasLogo: false, hasMailLogo: false };

  /**
   * A tiny app with the real request context (request id, base headers) and error handler, whose
   * GET /answer answers through `respond` for the town in `current.tenant`, built by `build`.
   */
  function setup(build: () => Promise<FreshAnswer> | FreshAnswer) {
    const current = { tenant: town };
    const builds = vi.fn(build);
    let arrived = 0;
    const answers = publicAnswers(memoryAnswerStore());
    const app = new Hono<AppEnv>();
    app.use(requestContext({ logger: silentLogger, now: () => 0, clientAddress: { peer: () => "127.0.0.1", trustProxy: 0 } }));
    app.use(async (c, next) => {
      c.set("tenant", current.tenant);
      await next();
    });
    app.get("/answer", (c) => {
      arrived++;
      return answers.respond(c, "answer", builds);
    });
    app.onError(errorHandler(silentLogger));
    return { app, builds, current, arrived: () => arrived };
  }

  const json = (n: number): FreshAnswer => ({ body: JSON.stringify({ n }), headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=30" } });

  it("builds once for many concurrent first requests", async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const { app, builds, arrived } = setup(async () => {
      await released;
      return json(1);
    });
    const requests = Array.from({ length: 20 }, () => app.request("/answer"));
    // Every request has asked for the answer while the first build is still running.
    await vi.waitFor(() => expect(arrived()).toBe(20));
    release();
    const responses = await Promise.all(requests);
    expect(builds).toHaveBeenCalledTimes(1);
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(new Set(responses.map((r) => r.headers.get("etag"))).size).toBe(1);
    expect(new Set(await Promise.all(responses.map((r) => r.text())))).toEqual(new Set(['{"n":1}']));
    // Each answer still has its own request id.
    expect(new Set(responses.map((r) => r.headers.get("x-request-id"))).size).toBe(20);
  });

  it("serves a built answer again without building, with ETag, Content-Type, Cache-Control and X-Request-Id", async () => {
    const { app, builds } = setup(() => json(builds.mock.calls.length));
    const first = await app.request("/answer");
    expect(first.status).toBe(200);
    const second = await app.request("/answer");
    expect(builds).toHaveBeenCalledTimes(1);
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(await first.text());
    const etag = second.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(etag).toBe(first.headers.get("etag"));
    expect(second.headers.get("content-type")).toBe("application/json");
    expect(second.headers.get("cache-control")).toBe("public, max-age=30");
    expect(second.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get("x-request-id")).not.toBe(first.headers.get("x-request-id"));
    expect(second.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("answers If-None-Match with that ETag by a 304 with the same ETag and Cache-Control and no body", async () => {
    const { app, builds } = setup(() => json(1));
    const etag = (await app.request("/answer")).headers.get("etag")!;
    for (const condition of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const res = await app.request("/answer", { headers: { "If-None-Match": condition } });
      expect(res.status).toBe(304);
      expect(res.headers.get("etag")).toBe(etag);
      expect(res.headers.get("cache-control")).toBe("public, max-age=30");
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(await res.text()).toBe("");
    }
    const stale = await app.request("/answer", { headers: { "If-None-Match": '"stale"' } });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toBe('{"n":1}');
    expect(builds).toHaveBeenCalledTimes(1);
  });

  it("answers a 304 also for the very first request of an answer", async () => {
    const { app } = setup(() => json(1));
    const etag = (await setup(() => json(1)).app.request("/answer")).headers.get("etag")!;
    const res = await app.request("/answer", { headers: { "If-None-Match": etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(etag);
  });

  it("builds again for a new content version or config of the town, not for a re-read of the same one", async () => {
    let n = 0;
    const { app, builds, current } = setup(() => json(++n));
    const v1 = await app.request("/answer");
    // The registry hands out a fresh object for the same town every few seconds.
    current.tenant = { ...town };
    expect(await (await app.request("/answer")).text()).toBe('{"n":1}');
    expect(builds).toHaveBeenCalledTimes(1);

    current.tenant = { ...town, contentVersion: 2 };
    const v2 = await app.request("/answer", { headers: { "If-None-Match": v1.headers.get("etag")! } });
    expect(builds).toHaveBeenCalledTimes(2);
    expect(v2.status).toBe(200);
    expect(await v2.text()).toBe('{"n":2}');
    expect(v2.headers.get("etag")).not.toBe(v1.headers.get("etag"));

    current.tenant = { ...town, contentVersion: 2, configHash: "h2" };
    expect(await (await app.request("/answer")).text()).toBe('{"n":3}');
    current.tenant = { ...town, id: "t_other", contentVersion: 2, configHash: "h2" };
    expect(await (await app.request("/answer")).text()).toBe('{"n":4}');
    expect(builds).toHaveBeenCalledTimes(4);
  });

  it("does not keep a failed build: the next request builds again", async () => {
    let fail = true;
    const { app, builds } = setup(() => {
      if (fail) throw AppError.of(404, "not_found");
      return json(1);
    });
    const failed = await app.request("/answer");
    expect(failed.status).toBe(404);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const again = await app.request("/answer");
    expect(again.status).toBe(404);
    expect(builds).toHaveBeenCalledTimes(2);
    fail = false;
    const ok = await app.request("/answer");
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('{"n":1}');
    expect(builds).toHaveBeenCalledTimes(3);
  });

  it("does not keep a failed asynchronous build shared by concurrent requests", async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let fail = true;
    const { app, builds, arrived } = setup(async () => {
      if (!fail) return json(1);
      await released;
      throw AppError.of(404, "not_found");
    });
    const requests = Array.from({ length: 5 }, () => app.request("/answer"));
    await vi.waitFor(() => expect(arrived()).toBe(5));
    release();
    expect((await Promise.all(requests)).map((r) => r.status)).toEqual([404, 404, 404, 404, 404]);
    expect(builds).toHaveBeenCalledTimes(1);
    fail = false;
    expect((await app.request("/answer")).status).toBe(200);
    expect(builds).toHaveBeenCalledTimes(2);
  });
});
