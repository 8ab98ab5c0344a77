import { env } from "cloudflare:workers";
import { createApp } from "../../server/app.js";
import { silentLogger } from "../../server/http/logger.js";
import { databaseTenantRegistry } from "../../server/tenants/registry.js";
import { d1Store } from "../../server/workers/d1-store.js";
import { type TestApp, testClock } from "./types.js";

/** The app on the local D1 that tests/workers/setup.ts migrated and synced. */
export async function createTestApp(): Promise<TestApp> {
  const clock = testClock();
  const store = d1Store(env.DB);
  const app = createApp({ store, clock, tenants: databaseTenantRegistry(store, clock, 0), logger: silentLogger });
  return { app, store, clock, runtime: "workers" };
}
