/**
 * The database the read benchmark runs against: 100 towns, 11,000 accounts and 1,000 published
 * news items each, as a consortium deployment would hold. Seeding takes a while, so the result is
 * kept in the system's temp folder and reused while the migrations and this seed stay the same.
 */
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../../server/lib/clock.js";
import { bootstrapStore } from "../../server/node/bootstrap.js";

export interface DatasetSize {
  towns: number;
  accountsPerTown: number;
  newsPerTown: number;
}

/** A consortium deployment, and a nearly empty one to compare (enough news for full pages and feeds). */
export const full: DatasetSize = { towns: 100, accountsPerTown: 11_000, newsPerTown: 1_000 };
export const small: DatasetSize = { towns: 2, accountsPerTown: 10, newsPerTown: 60 };
const seedVersion = 1;

export interface ReadsDataset {
  dataDir: string;
  tenantsDir: string;
  slugs: string[];
  /** One published item per town, for the item endpoint. */
  itemIds: string[];
}

export async function readsDataset(root: string, size: DatasetSize = full): Promise<ReadsDataset> {
  const { towns, accountsPerTown, newsPerTown } = size;
  const migrations = readdirSync(join(root, "migrations"))
    .sort()
    .map((f) => readFileSync(join(root, "migrations", f), "utf8"));
  const key = createHash("sha256")
    .update(JSON.stringify({ seedVersion, size, migrations }))
    .update(readFileSync(join(root, "tenants", "tangerhuette", "tenant.json")))
    .update(readFileSync(new URL(import.meta.url)))
    .digest("hex")
    .slice(0, 12);
  const base = join(tmpdir(), `dr-bench-reads-${key}`);
  const dataDir = join(base, "data");
  const tenantsDir = join(base, "tenants");
  const slugs = Array.from({ length: towns }, (_, i) => (i === 0 ? "tangerhuette" : `stadt-${String(i).padStart(3, "0")}`));
  const itemIds = slugs.map((_, t) => newsId(t, newsPerTown - 1));
  if (existsSync(join(base, "complete"))) return { dataDir, tenantsDir, slugs, itemIds };

  rmSync(base, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const template = JSON.parse(readFileSync(join(root, "tenants", "tangerhuette", "tenant.json"), "utf8")) as Record<string, unknown>;
  for (const [i, slug] of slugs.entries()) {
    const dir = join(tenantsDir, slug);
    mkdirSync(dir, { recursive: true });
    cpSync(join(root, "tenants", "tangerhuette", "logo.svg"), join(dir, "logo.svg"));
    cpSync(join(root, "tenants", "tangerhuette", "logo.png"), join(dir, "logo.png"));
    writeFileSync(join(dir, "tenant.json"), JSON.stringify({ ...template, slug, name: i === 0 ? template.name : `Stadt ${i}` }, null, 2));
  }

  const started = performance.now();
  const { store } = await bootstrapStore({ databaseFile: join(dataDir, "rathaus.sqlite"), migrationsDir: join(root, "migrations"), tenantsDir, clock: systemClock });
  const db = store.sqlite;
  const tenantIds = new Map((db.prepare("SELECT slug, id FROM tenants").all() as { slug: string; id: string }[]).map((r) => [r.slug, r.id]));
  const topics = (template.topics as { id: string }[]).map((t) => t.id);
  const now = Date.now();
  const insertAccount = db.prepare(`INSERT INTO accounts (tenant_id, id, kind, role, email, email_verified_at, mobile, mobile_verified_at, password_hash, name, privacy_version, privacy_accepted_at, created_at, updated_at)
    VALUES (?, ?, 'person', 'citizen', ?, ?, ?, ?, ?, ?, '2026-10-15', ?, ?, ?)`);
  const insertSubscription = db.prepare("INSERT INTO subscriptions (tenant_id, account_id, topic, created_at) VALUES (?, ?, ?, ?)");
  const insertNews = db.prepare(`INSERT INTO news (tenant_id, id, title, summary, body, body_html, topics, urgent, status, publish_at, published_at, fanned_out_at, created_by, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'published', NULL, ?, ?, NULL, ?, ?)`);
  // A real argon2id string; nobody logs in during the benchmark.
  const hash = "$argon2id$v=19$m=19456,t=2,p=1$YmVuY2hiZW5jaGJlbmNo$3Vq0m1n3eZ4Q3i2o1c9w1l2Vt8Q4g6m8y0u2a4c6e8A";
  const body = "Die Stadtverwaltung informiert über **Neuigkeiten** aus dem Rathaus.\n\n".repeat(6);
  const bodyHtml = "<p>Die Stadtverwaltung informiert über <strong>Neuigkeiten</strong> aus dem Rathaus.</p>\n".repeat(6);
  db.transaction(() => {
    for (const [t, slug] of slugs.entries()) {
      const tenantId = tenantIds.get(slug)!;
      for (let a = 0; a < accountsPerTown; a++) {
        const id = `a_bench_${t}_${a}`;
        insertAccount.run(tenantId, id, `buerger${a}@${slug}.example`, now, `+49171${String(a).padStart(7, "0")}`, now, hash, `Bürger ${a}`, now, now, now);
        insertSubscription.run(tenantId, id, topics[a % topics.length], now);
      }
      for (let n = 0; n < newsPerTown; n++) {
        const at = now - (newsPerTown - n) * 3_600_000;
        const itemTopics = JSON.stringify([topics[n % topics.length]]);
        insertNews.run(tenantId, newsId(t, n), `Meldung ${n} aus ${slug}`, `Kurzfassung der Meldung ${n}: was sich in der Stadt ändert.`, body, bodyHtml, itemTopics, at, at, at, at);
      }
    }
  })();
  db.pragma("wal_checkpoint(TRUNCATE)");
  await store.close();
  writeFileSync(join(base, "complete"), new Date().toISOString());
  console.log(`  seeded ${towns} towns × ${accountsPerTown} accounts × ${newsPerTown} news in ${((performance.now() - started) / 1000).toFixed(0)} s (${base})`);
  return { dataDir, tenantsDir, slugs, itemIds };
}

const newsId = (town: number, n: number) => `n_bench_${town}_${n}`;
