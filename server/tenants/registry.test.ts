import { fileURLToPath } from "node:url";
import { Kysely, type KyselyPlugin, SqliteDialect } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../db/schema.js";
import type { Store } from "../db/store.js";
import { bootstrapStore } from "../node/bootstrap.js";
import type { SqliteStore } from "../node/sqlite-store.js";
import { databaseTenantRegistry } from "./registry.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const ttlMs = 5_000;

let inner: SqliteStore;
let now: number;
const clock = { now: () => now };
let reads: number;
/** Databases to hand out for the next reads instead of the store's own (see holdNextRead). */
let nextReadDbs: Kysely<Database>[];
/** The store the registry sees: every town read takes `store.db` once, so that is counted here. */
let store: Store;
let tangerhuette: string;
let musterstadt: string;

beforeEach(async () => {
  now = Date.UTC(2026, 10, 25, 9);
  ({ store: inner } = await bootstrapStore({ databaseFile: ":memory:", migrationsDir: `${root}migrations`, tenantsDir: `${root}tenants`, clock }));
  reads = 0;
  nextReadDbs = [];
  store = {
    atomic: (q) => inner.atomic(q),
    ping: () => inner.ping(),
    get db() {
      reads++;
      return nextReadDbs.shift() ?? inner.db;
    },
  };
  const ids = inner.sqlite.prepare("SELECT slug, id FROM tenants").all() as Array<{ slug: string; id: string }>;
  tangerhuette = ids.find((r) => r.slug === "tangerhuette")!.id;
  musterstadt = ids.find((r) => r.slug === "musterstadt")!.id;
});

afterEach(async () => {
  await inner.close();
});

/** What another process (a sync, a news write) does to the town's row behind this registry's back. */
function setVersion(slug: string, version: number) {
  inner.sqlite.prepare("UPDATE tenants SET content_version = ? WHERE slug = ?").run(version, slug);
}

/**
 * The next town read runs its query at once but hands its result over only on `release()`:
 * a read that has seen the database as it was and is still on its way back.
 */
function holdNextRead() {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const queried = new Promise<void>((r) => (reached = r));
  const hold: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      reached();
      await released;
      return args.result;
    },
  };
  // Its own Kysely on the same connection, so the held read does not block the store's own queries.
  nextReadDbs.push(new Kysely<Database>({ dialect: new SqliteDialect({ database: inner.sqlite }), plugins: [hold] }));
  return { queried, release };
}

describe("databaseTenantRegistry", () => {
  it("reads a town once and serves it from memory until the TTL has passed", async () => {
    const registry = databaseTenantRegistry(store, clock, ttlMs);
    const first = await registry.bySlug("tangerhuette");
    expect(first).toMatchObject({ id: tangerhuette, slug: "tangerhuette", contentVersion: 0 });
    expect(reads).toBe(1);

    setVersion("tangerhuette", 7);
    now += ttlMs - 1;
    const cached = await registry.bySlug("tangerhuette");
    expect(cached).toBe(first);
    expect(cached!.contentVersion).toBe(0);
    expect(reads).toBe(1);

    now += 1;
    expect((await registry.bySlug("tangerhuette"))!.contentVersion).toBe(7);
    expect(reads).toBe(2);
    // The new entry lives its own TTL from now.
    setVersion("tangerhuette", 8);
    now += ttlMs - 1;
    expect((await registry.bySlug("tangerhuette"))!.contentVersion).toBe(7);
    expect(reads).toBe(2);
  });

  it("keeps towns apart", async () => {
    const registry = databaseTenantRegistry(store, clock, ttlMs);
    expect((await registry.bySlug("tangerhuette"))!.id).toBe(tangerhuette);
    expect((await registry.bySlug("musterstadt"))!.id).toBe(musterstadt);
    expect((await registry.bySlug("tangerhuette"))!.id).toBe(tangerhuette);
    expect(reads).toBe(2);
  });

  it("reads the town again at once after invalidate(its id), and only that town", async () => {
    const registry = databaseTenantRegistry(store, clock, ttlMs);
    await registry.bySlug("tangerhuette");
    await registry.bySlug("musterstadt");
    expect(reads).toBe(2);
    setVersion("tangerhuette", 3);
    setVersion("musterstadt", 5);

    registry.invalidate(tangerhuette);
    expect((await registry.bySlug("tangerhuette"))!.contentVersion).toBe(3);
    expect(reads).toBe(3);
    // The other town's entry stays until its TTL.
    expect((await registry.bySlug("musterstadt"))!.contentVersion).toBe(0);
    expect(reads).toBe(3);
    // And the re-read town is cached again.
    expect((await registry.bySlug("tangerhuette"))!.contentVersion).toBe(3);
    expect(reads).toBe(3);
  });

  it("lets concurrent requests for a town share one read, cold or expired", async () => {
    const registry = databaseTenantRegistry(store, clock, ttlMs);
    const cold = await Promise.all(Array.from({ length: 10 }, () => registry.bySlug("tangerhuette")));
    expect(reads).toBe(1);
    expect(new Set(cold).size).toBe(1);

    setVersion("tangerhuette", 4);
    now += ttlMs;
    const expired = await Promise.all(Array.from({ length: 10 }, () => registry.bySlug("tangerhuette")));
    expect(reads).toBe(2);
    expect(new Set(expired).size).toBe(1);
    expect(expired[0]!.contentVersion).toBe(4);
  });

  it("does not cache what a read in flight during invalidate() returns, nor hand it to later requests", async () => {
    const registry = databaseTenantRegistry(store, clock, ttlMs);
    const held = holdNextRead();
    const early = registry.bySlug("tangerhuette");
    // The read has seen version 0 …
    await held.queried;
    // … when this process raises the version and invalidates the town.
    setVersion("tangerhuette", 9);
    registry.invalidate(tangerhuette);

    // A request now must not join the old read: it reads anew.
    expect((await registry.bySlug("tangerhuette"))!.contentVersion).toBe(9);
    expect(reads).toBe(2);

    held.release();
    // The early caller gets what it read; the cache does not take it.
    expect((await early)!.contentVersion).toBe(0);
    expect((await registry.bySlug("tangerhuette"))!.contentVersion).toBe(9);
  });

  it("does not let a read from before invalidate() fill the cache even when nothing was cached", async () => {
    const registry = databaseTenantRegistry(store, clock, ttlMs);
    const held = holdNextRead();
    const early = registry.bySlug("tangerhuette");
    await held.queried;
    setVersion("tangerhuette", 9);
    registry.invalidate(tangerhuette);
    held.release();
    expect((await early)!.contentVersion).toBe(0);
    expect(reads).toBe(1);
    expect((await registry.bySlug("tangerhuette"))!.contentVersion).toBe(9);
    expect(reads).toBe(2);
  });

  it("returns null for an unknown or inactive town and does not cache that", async () => {
    const registry = databaseTenantRegistry(store, clock, ttlMs);
    expect(await registry.bySlug("nirgendwo")).toBeNull();
    expect(await registry.bySlug("nirgendwo")).toBeNull();
    expect(reads).toBe(2);

    inner.sqlite.prepare("UPDATE tenants SET active = 0 WHERE slug = 'musterstadt'").run();
    expect(await registry.bySlug("musterstadt")).toBeNull();
    expect(await registry.bySlug("musterstadt")).toBeNull();
    expect(reads).toBe(4);
    // Reactivated, it is there on the very next request.
    inner.sqlite.prepare("UPDATE tenants SET active = 1 WHERE slug = 'musterstadt'").run();
    expect((await registry.bySlug("musterstadt"))!.id).toBe(musterstadt);
    expect(reads).toBe(5);
  });

  it("drops a cached town that has since been deactivated once its entry expires", async () => {
    const registry = databaseTenantRegistry(store, clock, ttlMs);
    expect(await registry.bySlug("musterstadt")).not.toBeNull();
    inner.sqlite.prepare("UPDATE tenants SET active = 0 WHERE slug = 'musterstadt'").run();
    now += ttlMs;
    expect(await registry.bySlug("musterstadt")).toBeNull();
    // Not the old entry again either.
    expect(await registry.bySlug("musterstadt")).toBeNull();
    expect(reads).toBe(3);
  });
});
