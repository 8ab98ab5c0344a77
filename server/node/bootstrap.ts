import type { Clock } from "../lib/clock.js";
import { parseTenantSources } from "../tenants/definitions.js";
import { type SyncReport, syncTenants } from "../tenants/sync.js";
import { applyMigrations, readMigrations } from "./migrations.js";
import { type SqliteStore, openSqliteStore } from "./sqlite-store.js";
import { readTenantSources } from "./tenant-files.js";

export interface BootOptions {
  databaseFile: string;
  migrationsDir: string;
  tenantsDir: string;
  clock: Clock;
}

/**
 * What `npm start`, the tenants CLI and the API tests share: open the database, apply
 * migrations, validate every tenant folder and sync them in one transaction. A bad tenant
 * file throws before anything is written.
 */
export async function bootstrapStore(opts: BootOptions): Promise<{ store: SqliteStore; tenants: SyncReport; migrations: string[] }> {
  const defs = parseTenantSources(readTenantSources(opts.tenantsDir));
  const store = openSqliteStore(opts.databaseFile);
  try {
    const migrations = applyMigrations(store.sqlite, readMigrations(opts.migrationsDir));
    const tenants = await syncTenants(store, opts.clock, defs);
    return { store, tenants, migrations };
  } catch (e) {
    await store.close();
    throw e;
  }
}
