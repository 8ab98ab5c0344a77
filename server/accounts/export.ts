import type { Tenant } from "../tenants/tenant.js";
import { type Account, publicAccount } from "./account.js";
import type { AccountRecords } from "./repo.js";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * DSGVO Art. 15/20: everything stored about the account, in one JSON document. Secrets are
 * described, not disclosed (the password and codes exist only as hashes, and neither is read).
 */
export function exportDocument(tenant: Tenant, account: Account, records: AccountRecords, currentSessionId: string, now: number) {
  return {
    exportedAt: iso(now),
    controller: { name: tenant.config.officialName, contact: tenant.config.contact.email, privacyPolicy: tenant.config.links.privacy },
    account: publicAccount(account),
    verification: { emailVerifiedAt: iso(account.emailVerifiedAt), mobileVerifiedAt: iso(account.mobileVerifiedAt), identityVerifiedAt: iso(account.identityVerifiedAt) },
    /** Logins at identity providers (BundID, …): who the person is there (bPK2 or `sub`) and how sure the last login was. */
    linkedIdentities: records.identities.map((i) => ({ provider: i.provider, subject: i.subject, trustLevel: i.trustLevel, linkedAt: iso(i.linkedAt), lastLoginAt: iso(i.lastLoginAt) })),
    consent: { privacyPolicyVersion: account.privacyVersion, acceptedAt: iso(account.privacyAcceptedAt) },
    password: "stored only as an argon2id hash",
    newsSubscriptions: { topics: records.subscriptions.map((s) => ({ topic: s.topic, since: iso(s.createdAt) })), smsAlerts: account.smsAlerts },
    sessions: records.sessions.map((s) => ({ createdAt: iso(s.createdAt), expiresAt: iso(s.expiresAt), current: s.id === currentSessionId, ...(s.provider ? { loginWith: s.provider, trustLevel: s.trustLevel } : {}) })),
    openCodes: records.codes.map((c) => ({ purpose: c.purpose, sentTo: c.target, sentAt: iso(c.sentAt), expiresAt: iso(c.expiresAt), failedAttempts: c.attempts })),
    messages: records.messages.map((m) => ({ channel: m.channel, to: m.recipient, kind: m.template, status: m.status, createdAt: iso(m.createdAt), sentAt: iso(m.sentAt) })),
  };
}
