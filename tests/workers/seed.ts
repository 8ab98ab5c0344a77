import { env } from "cloudflare:workers";

/**
 * `count` verified citizens of a town subscribed to `topic`, all with addresses at `domain`
 * (b1@…, b2@…), written straight into D1 in one batch: a town after months of registrations.
 */
export async function seedSubscribers(tenantId: string, count: number, domain: string, topic: string): Promise<string[]> {
  const now = Date.now();
  const prefix = `a_${domain.replace(/\W/g, "_")}_`;
  await env.DB.batch([
    env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO accounts (tenant_id, id, kind, role, email, email_verified_at, mobile, mobile_verified_at, password_hash, name, lang,
         privacy_version, privacy_accepted_at, demo, sms_alerts, created_at, updated_at)
       SELECT ?, ? || printf('%05d', i), 'person', 'citizen', 'b' || i || '@' || ?, ?, '+49171' || (1000000 + i), ?, 'x', 'Einwohner ' || i, 'de', 'seed', ?, 0, 0, ?, ? FROM n`,
    ).bind(count, tenantId, prefix, domain, now, now, now, now, now),
    env.DB.prepare(`INSERT INTO subscriptions (tenant_id, account_id, topic, created_at) SELECT tenant_id, id, ?, ? FROM accounts WHERE tenant_id = ? AND email LIKE '%@' || ?`).bind(
      topic,
      now,
      tenantId,
      domain,
    ),
  ]);
  return Array.from({ length: count }, (_, i) => `b${i + 1}@${domain}`);
}
