import type { Store } from "../db/store.js";
import type { Clock } from "../lib/clock.js";
import { findActiveTenantBySlug } from "./repo.js";
import type { Tenant } from "./tenant.js";

/** Resolves a slug to its town; every tenant-scoped request starts here. */
export interface TenantRegistry {
  /** A town in memory comes back at once, without a promise (every request asks). */
  bySlug(slug: string): Tenant | Promise<Tenant | null>;
  /** This process changed the town (its content version): the next request reads it again. */
  invalidate(tenantId: string): void;
}

/**
 * Reads towns from the database with a short in-memory cache, so a sync on one Node process
 * or a D1 update from the CLI reaches every instance within `ttlMs`, and a change made by this
 * instance on its very next request.
 */
export function databaseTenantRegistry(store: Store, clock: Clock, ttlMs = 5_000, opts: { shareReads?: boolean } = {}): TenantRegistry {
  const cache = new Map<string, { tenant: Tenant; until: number }>();
  // Concurrent requests for a town whose entry expired share one read.
  const reading = new Map<string, Promise<Tenant | null>>();
  // A read that started before an invalidation must not put what it read into the cache.
  let generation = 0;
  // On Workers each request reads for itself: waiting on another request's read would hang if
  // the runtime cancelled that request.
  const share = opts.shareReads !== false;
  const read = (slug: string) => {
    const existing = share ? reading.get(slug) : undefined;
    if (existing) return existing;
    const startedIn = generation;
    const pending: Promise<Tenant | null> = findActiveTenantBySlug(store.db, slug).finally(() => {
      if (reading.get(slug) === pending) reading.delete(slug);
    });
    if (share) reading.set(slug, pending);
    return pending.then((tenant) => {
      if (startedIn === generation) {
        // Unknown slugs are not cached: a probe with random slugs must not grow the map.
        if (tenant) cache.set(slug, { tenant, until: clock.now() + ttlMs });
        else cache.delete(slug);
      }
      return tenant;
    });
  };
  return {
    bySlug(slug) {
      const hit = cache.get(slug);
      if (hit && hit.until > clock.now()) return hit.tenant;
      return read(slug);
    },
    invalidate(tenantId) {
      for (const [slug, entry] of cache) if (entry.tenant.id === tenantId) cache.delete(slug);
      // A read already under way may have started before the change; it is neither reused nor kept.
      generation++;
      reading.clear();
    },
  };
}
