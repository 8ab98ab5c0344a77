/**
 * Login throughput against the bound that matters: how many argon2id verifications this
 * machine does per second. A login is one verify plus a rate-limit upsert, a lookup and a
 * session insert, so the ratio shows what the HTTP and database work costs on top.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileBlobStore } from "../../server/node/file-blobs.js";
import { fileURLToPath } from "node:url";
import { createApp } from "../../server/app.js";
import { silentLogger } from "../../server/http/logger.js";
import { systemClock } from "../../server/lib/clock.js";
import { nodeArgon2Hasher } from "../../server/node/argon2-hasher.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";
import type { Limits } from "../../server/ratelimit/limiter.js";
import { defaultLimits } from "../../server/ratelimit/limiter.js";
import { databaseTenantRegistry } from "../../server/tenants/registry.js";
import { fmt, listen, rate } from "./util.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

export async function benchLogin({ total = 300, concurrency = 8 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "dr-bench-login-"));
  const { store } = await bootstrapStore({ databaseFile: join(dir, "bench.sqlite"), migrationsDir: `${root}migrations`, tenantsDir: `${root}tenants`, clock: systemClock });
  // The limits would stop a benchmark from one address after 10 attempts; the upsert still runs.
  const unlimited = Object.fromEntries(Object.entries(defaultLimits).map(([k, l]) => [k, { ...l, max: 1e9 }])) as Limits;
  const app = createApp({ store, clock: systemClock, tenants: databaseTenantRegistry(store, systemClock), hasher: nodeArgon2Hasher, logger: silentLogger, limits: unlimited, secret: "bench-secret", clientAddress: { peer: () => "127.0.0.1", trustProxy: 0 }, blobs: fileBlobStore(join(tmpdir(), "dr-blobs-unused")) });
  const server = await listen(app.fetch);
  const api = `${server.url}/api/v1/tenants/tangerhuette`;
  const credentials = { email: "bench@example.org", password: "Bench-Passwort-2026" };
  const reg = await fetch(`${api}/auth/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ kind: "person", name: "Bench", mobile: "0171 2345678", acceptPrivacy: true, ...credentials }),
  });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status}`);
  const phc = await nodeArgon2Hasher.hash(credentials.password);

  // Warm up both paths once.
  await nodeArgon2Hasher.verify(phc, credentials.password);
  const raw = await rate(total, concurrency, async () => {
    if (!(await nodeArgon2Hasher.verify(phc, credentials.password))) throw new Error("verify failed");
  });
  const login = await rate(total, concurrency, async () => {
    const res = await fetch(`${api}/auth/login`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(credentials) });
    if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    await res.arrayBuffer();
  });

  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  const ratio = login.perSecond / raw.perSecond;
  console.log(`login: ${total} logins, ${concurrency} concurrent`);
  console.log(`  raw argon2id verify (m=19456,t=2,p=1): ${fmt(raw.perSecond)}/s`);
  console.log(`  POST auth/login over HTTP:             ${fmt(login.perSecond)}/s`);
  console.log(`  ratio login / raw verify:              ${(ratio * 100).toFixed(0)}%`);
  return { raw: raw.perSecond, login: login.perSecond, ratio };
}
