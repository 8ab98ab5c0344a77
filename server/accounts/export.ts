import type { AccountsTable, Db } from "../db/schema.js";
import type { Tenant } from "../tenants/tenant.js";
import { publicAccount } from "./account.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * DSGVO Art. 15/20: everything stored about the account, in one JSON document. Secrets are
 * described, not disclosed (the password and codes exist only as hashes).
 */
export async function exportAccount(db: Db, tenant: Tenant, account: AccountsTable, currentSessionId: string, now: number) {
  const [sessions, codes, messages, subscriptions] = await Promise.all([
    db.selectFrom("sessions").select(["id", "created_at", "expires_at"]).where("tenant_id", "=", tenant.id).where("account_id", "=", account.id).execute(),
    db.selectFrom("verification_codes").select(["purpose", "target", "expires_at", "sent_at", "attempts"]).where("tenant_id", "=", tenant.id).where("account_id", "=", account.id).execute(),
    db
      .selectFrom("outbox")
      .select(["channel", "recipient", "template", "status", "created_at", "sent_at"])
      .where("tenant_id", "=", tenant.id)
      .where("account_id", "=", account.id)
      .orderBy("created_at")
      .execute(),
    db.selectFrom("subscriptions").select(["topic", "created_at"]).where("tenant_id", "=", tenant.id).where("account_id", "=", account.id).orderBy("topic").execute(),
  ]);
  return {
    exportedAt: iso(now),
    controller: { name: tenant.config.officialName, contact: tenant.config.contact.email, privacyPolicy: tenant.config.links.privacy },
    account: publicAccount(account),
    verification: { emailVerifiedAt: iso(account.email_verified_at), mobileVerifiedAt: iso(account.mobile_verified_at) },
    consent: { privacyPolicyVersion: account.privacy_version, acceptedAt: iso(account.privacy_accepted_at) },
    password: "stored only as an argon2id hash",
    newsSubscriptions: { topics: subscriptions.map((s) => ({ topic: s.topic, since: iso(s.created_at) })), smsAlerts: account.sms_alerts === 1 },
    sessions: sessions.map((s) => ({ createdAt: iso(s.created_at), expiresAt: iso(s.expires_at), current: s.id === currentSessionId })),
    openCodes: codes.map((c) => ({ purpose: c.purpose, sentTo: c.target, sentAt: iso(c.sent_at), expiresAt: iso(c.expires_at), failedAttempts: c.attempts })),
    messages: messages.map((m) => ({ channel: m.channel, to: m.recipient, kind: m.template, status: m.status, createdAt: iso(m.created_at), sentAt: iso(m.sent_at) })),
  };
}
