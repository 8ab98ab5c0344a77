import type { Db } from "../../server/db/schema.js";
import { renderMarkdown } from "../../server/news/markdown.js";
import type BetterSqlite3 from "better-sqlite3";

/**
 * Writes `count` verified citizens subscribed to `topic` straight into SQLite, the way a
 * town looks after months of registrations. Far faster than registering them through the API.
 */
export function seedSubscribers(sqlite: BetterSqlite3.Database, tenantId: string, count: number, topic: string, now = Date.now()) {
  const account = sqlite.prepare(`INSERT INTO accounts (tenant_id, id, kind, role, email, email_verified_at, mobile, mobile_verified_at,
    password_hash, name, lang, privacy_version, privacy_accepted_at, demo, sms_alerts, created_at, updated_at)
    VALUES (?, ?, 'person', 'citizen', ?, ?, ?, ?, '$argon2id$v=19$m=19456,t=2,p=1$c2VlZHNlZWRzZWVkc2VlZA$c2VlZA', ?, 'de', 'seed', ?, 0, 0, ?, ?)`);
  const subscription = sqlite.prepare("INSERT INTO subscriptions (tenant_id, account_id, topic, created_at) VALUES (?, ?, ?, ?)");
  const emails: string[] = [];
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const id = `a_seed${String(i).padStart(6, "0")}`;
      const email = `einwohner${i}@tangerhuette.example`;
      emails.push(email);
      account.run(tenantId, id, email, now, `+49171${String(1_000_000 + i)}`, now, `Einwohner ${i}`, now, now, now);
      subscription.run(tenantId, id, topic, now);
    }
  })();
  return emails;
}

/** A published item not yet fanned out, as the publish route leaves it; the fan-out job takes it from here. */
export function insertPublishedNews(db: Db, tenantId: string, item: { id: string; title: string; summary: string; body: string; topics: string[] }, now: number) {
  return db
    .insertInto("news")
    .values({
      tenant_id: tenantId,
      ...item,
      body_html: renderMarkdown(item.body),
      topics: JSON.stringify(item.topics),
      urgent: 0,
      status: "published",
      publish_at: null,
      published_at: now,
      fanned_out_at: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
}
