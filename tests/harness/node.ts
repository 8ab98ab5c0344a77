import { fileURLToPath } from "node:url";
import { createApp } from "../../server/app.js";
import { silentLogger } from "../../server/http/logger.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { databaseTenantRegistry } from "../../server/tenants/registry.js";
import { type TestApp, testClock } from "./types.js";

export const root = fileURLToPath(new URL("../../", import.meta.url));

/** A fresh in-memory SQLite with migrations and the shipped tenants, per call. */
export async function createTestApp(): Promise<TestApp> {
  const clock = testClock();
  const { store } = await bootstrapStore({
    databaseFile: ":memory:",
    migrationsDir: `${root}migrations`,
    tenantsDir: `${root}tenants`,
    clock,
  });
  const app = createApp({ store, clock, tenants: databaseTenantRegistry(store, clock, 0), logger: silentLogger });
  return { app, store, clock, runtime: "node" };
}
