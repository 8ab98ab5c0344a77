import { sql } from "kysely";
import type { AccountRow, AccountRowUpdate, AccountsTable, Db, NewAccountRow } from "../db/schema.js";
import type { Account, Address } from "./account.js";

/**
 * Accounts of one town. Every function takes the town first; there is no cross-town lookup.
 * Rows are mapped to the domain `Account` here and nowhere else, and the password hash is read
 * only by the two functions that exist to verify a password.
 */

/** Every column but the password hash (and the tenant, which the caller already knows). */
export const accountColumns = [
  "id",
  "kind",
  "role",
  "name",
  "organisation",
  "register_number",
  "address",
  "email",
  "email_verified_at",
  "mobile",
  "mobile_verified_at",
  "lang",
  "privacy_version",
  "privacy_accepted_at",
  "sms_alerts",
  "identity_verified_at",
  "created_at",
  "updated_at",
] as const satisfies ReadonlyArray<keyof AccountsTable>;

export type AccountColumns = Pick<AccountRow, (typeof accountColumns)[number]>;

export function toAccount(row: AccountColumns): Account {
  return {
    id: row.id,
    kind: row.kind,
    role: row.role,
    name: row.name,
    organisation: row.organisation,
    registerNumber: row.register_number,
    address: row.address ? (JSON.parse(row.address) as Address) : null,
    email: row.email,
    emailVerifiedAt: row.email_verified_at,
    mobile: row.mobile,
    mobileVerifiedAt: row.mobile_verified_at,
    lang: row.lang,
    privacyVersion: row.privacy_version,
    privacyAcceptedAt: row.privacy_accepted_at,
    smsAlerts: row.sms_alerts === 1,
    identityVerifiedAt: row.identity_verified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function findAccount(db: Db, tenantId: string, accountId: string): Promise<Account | undefined> {
  const row = await db.selectFrom("accounts").select(accountColumns).where("tenant_id", "=", tenantId).where("id", "=", accountId).executeTakeFirst();
  return row && toAccount(row);
}

/**
 * The account a login or reset for this address means: the verified one if there is one,
 * else the first registration, so that a later duplicate cannot push the real one aside.
 */
function byEmail(db: Db, tenantId: string, email: string) {
  return db
    .selectFrom("accounts")
    .select(accountColumns)
    .where("tenant_id", "=", tenantId)
    .where("email", "=", email)
    .orderBy((eb) => eb.case().when("email_verified_at", "is not", null).then(0).else(1).end())
    .orderBy("created_at", "asc")
    .limit(1);
}

export async function findAccountByEmail(db: Db, tenantId: string, email: string): Promise<Account | undefined> {
  const row = await byEmail(db, tenantId, email).executeTakeFirst();
  return row && toAccount(row);
}

/** For login: the account and its hash in one round trip, since the hash is verified right away. */
export async function findCredentialsByEmail(db: Db, tenantId: string, email: string): Promise<{ account: Account; passwordHash: string } | undefined> {
  const row = await byEmail(db, tenantId, email).select("password_hash").executeTakeFirst();
  if (!row) return undefined;
  const { password_hash, ...columns } = row;
  return { account: toAccount(columns), passwordHash: password_hash };
}

/** For the routes that re-ask a signed-in person for their password. */
export async function findPasswordHash(db: Db, tenantId: string, accountId: string): Promise<string | undefined> {
  const row = await db.selectFrom("accounts").select("password_hash").where("tenant_id", "=", tenantId).where("id", "=", accountId).executeTakeFirst();
  return row?.password_hash;
}

export async function verifiedEmailTaken(db: Db, tenantId: string, email: string, exceptAccountId?: string) {
  let q = db
    .selectFrom("accounts")
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("email", "=", email)
    .where("email_verified_at", "is not", null);
  if (exceptAccountId) q = q.where("id", "!=", exceptAccountId);
  return (await q.executeTakeFirst()) !== undefined;
}

export function insertAccount(db: Db, tenantId: string, a: Account, passwordHash: string) {
  const row: NewAccountRow = {
    tenant_id: tenantId,
    id: a.id,
    kind: a.kind,
    role: a.role,
    email: a.email,
    email_verified_at: a.emailVerifiedAt,
    mobile: a.mobile,
    mobile_verified_at: a.mobileVerifiedAt,
    password_hash: passwordHash,
    name: a.name,
    organisation: a.organisation,
    register_number: a.registerNumber,
    address: a.address && JSON.stringify(a.address),
    lang: a.lang,
    privacy_version: a.privacyVersion,
    privacy_accepted_at: a.privacyAcceptedAt,
    demo: 0,
    sms_alerts: a.smsAlerts ? 1 : 0,
    identity_verified_at: a.identityVerifiedAt,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
  return db.insertInto("accounts").values(row);
}

/**
 * What may change on an account, in domain terms. Verification times are not among them:
 * they are set only by `markEmailVerified`/`markMobileVerified`, whose conditions keep the
 * one-verified-account-per-address rule, or cleared together with a new address.
 */
export type AccountPatch = Partial<Pick<Account, "name" | "organisation" | "registerNumber" | "address" | "lang" | "smsAlerts">> & {
  /** A new address is unconfirmed until its code comes back. */
  email?: string;
  mobile?: string;
  passwordHash?: string;
  updatedAt: number;
};

export function updateAccount(db: Db, tenantId: string, accountId: string, p: AccountPatch) {
  // Only what is in the patch is written: a concurrent password change or verification must not be undone.
  const set: AccountRowUpdate = { updated_at: p.updatedAt };
  if (p.name !== undefined) set.name = p.name;
  if (p.organisation !== undefined) set.organisation = p.organisation;
  if (p.registerNumber !== undefined) set.register_number = p.registerNumber;
  if (p.address !== undefined) set.address = p.address && JSON.stringify(p.address);
  if (p.lang !== undefined) set.lang = p.lang;
  if (p.smsAlerts !== undefined) set.sms_alerts = p.smsAlerts ? 1 : 0;
  if (p.email !== undefined) Object.assign(set, { email: p.email, email_verified_at: null });
  if (p.mobile !== undefined) Object.assign(set, { mobile: p.mobile, mobile_verified_at: null });
  if (p.passwordHash !== undefined) set.password_hash = p.passwordHash;
  return db.updateTable("accounts").set(set).where("tenant_id", "=", tenantId).where("id", "=", accountId);
}

/**
 * Confirms `email` for the account, if it still has that address and no other account of the town
 * holds it verified. One conditional statement decides, so two accounts confirming one address at
 * the same moment cannot both win, and nobody has to read a constraint error to find out: the
 * statement returns the id when it wrote, nothing when it did not. (The unique index
 * `accounts_verified_email` stays as the last line of defence.)
 */
export function markEmailVerified(db: Db, tenantId: string, accountId: string, email: string, now: number) {
  return db
    .updateTable("accounts")
    .set({ email_verified_at: sql<number>`coalesce(email_verified_at, ${now})`, updated_at: now })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", accountId)
    .where("email", "=", email)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("accounts as other")
            .select("other.id")
            .where("other.tenant_id", "=", tenantId)
            .where("other.email", "=", email)
            .where("other.email_verified_at", "is not", null)
            .where("other.id", "!=", accountId),
        ),
      ),
    )
    .returning("id");
}

/** Confirms `mobile`, if the account still has that number (a code for an old number proves nothing). */
export function markMobileVerified(db: Db, tenantId: string, accountId: string, mobile: string, now: number) {
  return db
    .updateTable("accounts")
    .set({ mobile_verified_at: sql<number>`coalesce(mobile_verified_at, ${now})`, updated_at: now })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", accountId)
    .where("mobile", "=", mobile)
    .returning("id");
}

/** Deletes the account with everything that refers to it, in one atomic write. */
export function deleteAccountQueries(db: Db, tenantId: string, accountId: string) {
  return [
    db.deleteFrom("outbox").where("tenant_id", "=", tenantId).where("account_id", "=", accountId),
    db.deleteFrom("subscriptions").where("tenant_id", "=", tenantId).where("account_id", "=", accountId),
    db.deleteFrom("verification_codes").where("tenant_id", "=", tenantId).where("account_id", "=", accountId),
    db.deleteFrom("sessions").where("tenant_id", "=", tenantId).where("account_id", "=", accountId),
    db.deleteFrom("accounts").where("tenant_id", "=", tenantId).where("id", "=", accountId),
  ];
}

/** Everything else stored about an account besides the account itself (DSGVO Art. 15/20). */
export async function findAccountRecords(db: Db, tenantId: string, accountId: string) {
  const [sessions, codes, messages, subscriptions, identities] = await Promise.all([
    db.selectFrom("sessions").select(["id", "created_at", "expires_at", "identity_provider", "trust_level"]).where("tenant_id", "=", tenantId).where("account_id", "=", accountId).execute(),
    db.selectFrom("verification_codes").select(["purpose", "target", "expires_at", "sent_at", "attempts"]).where("tenant_id", "=", tenantId).where("account_id", "=", accountId).execute(),
    db
      .selectFrom("outbox")
      .select(["channel", "recipient", "template", "status", "created_at", "sent_at"])
      .where("tenant_id", "=", tenantId)
      .where("account_id", "=", accountId)
      .orderBy("created_at")
      .execute(),
    db.selectFrom("subscriptions").select(["topic", "created_at"]).where("tenant_id", "=", tenantId).where("account_id", "=", accountId).orderBy("topic").execute(),
    db.selectFrom("account_identities").select(["provider_id", "subject", "trust_level", "linked_at", "last_login_at"]).where("tenant_id", "=", tenantId).where("account_id", "=", accountId).orderBy("linked_at").execute(),
  ]);
  return {
    sessions: sessions.map((s) => ({ id: s.id, createdAt: s.created_at, expiresAt: s.expires_at, provider: s.identity_provider, trustLevel: s.trust_level })),
    codes: codes.map((c) => ({ purpose: c.purpose, target: c.target, sentAt: c.sent_at, expiresAt: c.expires_at, attempts: c.attempts })),
    messages: messages.map((m) => ({ channel: m.channel, recipient: m.recipient, template: m.template, status: m.status, createdAt: m.created_at, sentAt: m.sent_at })),
    subscriptions: subscriptions.map((s) => ({ topic: s.topic, createdAt: s.created_at })),
    identities: identities.map((i) => ({ provider: i.provider_id, subject: i.subject, trustLevel: i.trust_level, linkedAt: i.linked_at, lastLoginAt: i.last_login_at })),
  };
}

export type AccountRecords = Awaited<ReturnType<typeof findAccountRecords>>;
