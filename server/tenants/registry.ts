import type { Store } from "../db/store.js";
import type { Clock } from "../lib/clock.js";
import { findActiveTenantBySlug } from "./repo.js";
import type { Tenant } from "./tenant.js";

/** Resolves a slug to its town; every tenant-scoped request starts here. */
export interface TenantRegistry {
  bySlug(slug: string): Promise<Tenant | null>;
}

/**
 * Reads towns from the database with a short in-memory cache, so a sync on one Node process
 * or a D1 update from the CLI reaches every instance within `ttlMs`.
 */
export function databaseTenantRegistry(store: Store, clock: Clock, ttlMs = 5_000): TenantRegistry {
  const cache = new Map<string, { tenant: Tenant | null; until: number }>();
  return {
    async bySlug(slug) {
      const hit = cache.get(slug);
      if (hit && hit.until > clock.now()) return hit.tenant;
      const tenant = await findActiveTenantBySlug(store.db, slug);
      // Unknown slugs are not cached: a probe with random slugs must not grow the map.
      if (tenant) cache.set(slug, { tenant, until: clock.now() + ttlMs });
      else cache.delete(slug);
      return tenant;
    },
  };
}
