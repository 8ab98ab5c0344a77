import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { fileBlobStore } from "./file-blobs.js";
import { silentLogger } from "../http/logger.js";
import { systemClock } from "../lib/clock.js";
import { TenantDefinitionError } from "../tenants/definitions.js";
import { databaseTenantRegistry } from "../tenants/registry.js";
import { nodeArgon2Hasher } from "./argon2-hasher.js";
import { bootstrapStore } from "./bootstrap.js";
import { applyMigrations, readMigrations } from "./migrations.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const dirs: string[] = [];
function tempDir() {
  const d = mkdtempSync(join(tmpdir(), "dr-boot-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function boot(dataDir: string, tenantsDir: string) {
  return bootstrapStore({
    databaseFile: join(dataDir, "rathaus.sqlite"),
    migrationsDir: join(root, "migrations"),
    tenantsDir,
    clock: systemClock,
  });
}

function copyOfShippedTenants() {
  const dir = tempDir();
  cpSync(join(root, "tenants"), dir, { recursive: true });
  return dir;
}

describe("start-up", () => {
  it("applies migrations once: a second start is a no-op", async () => {
    const data = tempDir();
    const first = await boot(data, join(root, "tenants"));
    expect(first.migrations).toEqual(readMigrations(join(root, "migrations")).map((m) => m.name));
    expect(first.tenants.created.sort()).toEqual(["musterstadt", "tangerhuette"]);
    await first.store.close();

    const second = await boot(data, join(root, "tenants"));
    expect(second.migrations).toEqual([]);
    expect(second.tenants).toEqual({ created: [], updated: [], deactivated: [], unchanged: ["musterstadt", "tangerhuette"] });
    expect(applyMigrations(second.store.sqlite, readMigrations(join(root, "migrations")))).toEqual([]);
    const recorded = second.store.sqlite.prepare("SELECT count(*) AS n FROM d1_migrations").get() as { n: number };
    expect(recorded.n).toBe(readMigrations(join(root, "migrations")).length);
    await second.store.close();
  });

  it("stops on a bad tenant file and leaves the database as it was", async () => {
    const data = tempDir();
    const tenants = copyOfShippedTenants();
    await (await boot(data, tenants)).store.close();

    // One good change and one bad file in the same folder: neither may reach the database.
    const good = join(tenants, "musterstadt", "tenant.json");
    writeFileSync(good, JSON.stringify({ ...JSON.parse(readFileSync(good, "utf8")), name: "Neustadt" }));
    writeFileSync(join(tenants, "tangerhuette", "tenant.json"), '{"slug": "tangerhuette"}');
    await expect(boot(data, tenants)).rejects.toThrow(TenantDefinitionError);
    await expect(boot(data, tenants)).rejects.toThrow(/tangerhuette\/tenant\.json: field "name": is missing/);

    const { store } = await boot(data, join(root, "tenants"));
    const rows = await store.db.selectFrom("tenants").select(["slug", "config"]).orderBy("slug").execute();
    expect(rows.map((r) => JSON.parse(r.config).name)).toEqual(["Musterstadt", "Tangerhütte"]);
    await store.close();
  });

  it("deactivates a town whose folder is removed, keeping its row", async () => {
    const data = tempDir();
    const tenants = copyOfShippedTenants();
    await (await boot(data, tenants)).store.close();
    rmSync(join(tenants, "musterstadt"), { recursive: true });
    const { store, tenants: report } = await boot(data, tenants);
    expect(report.deactivated).toEqual(["musterstadt"]);
    const app = createApp({ store, clock: systemClock, tenants: databaseTenantRegistry(store, systemClock, 0), logger: silentLogger, hasher: nodeArgon2Hasher, secret: "test-secret", clientAddress: { peer: () => "127.0.0.1", trustProxy: 0 }, blobs: fileBlobStore(join(data, "blobs")) });
    expect((await app.request("/api/v1/tenants/musterstadt")).status).toBe(404);
    expect((await app.request("/api/v1/tenants/tangerhuette")).status).toBe(200);
    await store.close();
  });

  it("reports 503 from /healthz when the database does not answer", async () => {
    const { store } = await boot(tempDir(), join(root, "tenants"));
    const app = createApp({ store, clock: systemClock, tenants: databaseTenantRegistry(store, systemClock), logger: silentLogger, hasher: nodeArgon2Hasher, secret: "test-secret", clientAddress: { peer: () => "127.0.0.1", trustProxy: 0 }, blobs: fileBlobStore(join(tempDir(), "blobs")) });
    expect((await app.request("/healthz")).status).toBe(200);
    store.sqlite.close();
    const res = await app.request("/healthz");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unavailable");
  });
});

