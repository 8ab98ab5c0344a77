import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { systemClock } from "../../server/lib/clock.js";
import { syncTenants } from "../../server/tenants/sync.js";
import { d1Store } from "../../server/workers/d1-store.js";
import { shippedTowns } from "./tenant-sources.js";

// The same migration files wrangler applies, and the same validation and sync code as Node.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await syncTenants(d1Store(env.DB), systemClock, shippedTowns());
