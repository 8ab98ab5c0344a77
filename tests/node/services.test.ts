import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileBlobStore } from "../../server/node/file-blobs.js";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.js";
import { silentLogger } from "../../server/http/logger.js";
import { systemClock } from "../../server/lib/clock.js";
import { nodeArgon2Hasher } from "../../server/node/argon2-hasher.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import { databaseTenantRegistry } from "../../server/tenants/registry.js";
import { root } from "./process.js";

const dir = mkdtempSync(join(tmpdir(), "dr-services-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("services per town", () => {
  it("answers 404 for a service the town has not switched on", async () => {
    cpSync(join(root, "tenants"), dir, { recursive: true });
    const file = join(dir, "musterstadt", "tenant.json");
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, "utf8")), services: ["news"] }));
    const { store } = await bootstrapStore({ databaseFile: ":memory:", migrationsDir: join(root, "migrations"), tenantsDir: dir, clock: systemClock });
    const app = createApp({ store, clock: systemClock, tenants: databaseTenantRegistry(store, systemClock), hasher: nodeArgon2Hasher, logger: silentLogger, secret: "s", clientAddress: { peer: () => "127.0.0.1", trustProxy: 0 }, blobs: fileBlobStore(join(tmpdir(), "dr-blobs-unused")) });
    const register = (slug: string) => app.request(`/api/v1/tenants/${slug}/auth/register`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect((await register("musterstadt")).status).toBe(404);
    expect((await app.request("/api/v1/tenants/musterstadt/me")).status).toBe(404);
    expect((await app.request("/api/v1/tenants/musterstadt/news")).status).toBe(200);
    expect((await register("tangerhuette")).status).toBe(400);
    await store.close();
  });
});
