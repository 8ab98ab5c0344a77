import type { Insertable, Selectable } from "kysely";
import type { Db, IdentityCodesTable, IdentityFlowsTable } from "../db/schema.js";
import type { TrustLevel } from "./types.js";

/** Rows of the identity tables (migrations/0020_identity.sql); mapped to API shapes in the service. */

export type FlowRow = Selectable<IdentityFlowsTable>;
export type CodeRow = Selectable<IdentityCodesTable>;

export function insertFlow(db: Db, row: Insertable<IdentityFlowsTable>) {
  return db.insertInto("identity_flows").values(row);
}

/** Takes a flow for its one answer in the browser that started it: marked used if it was open and in time; the row, or undefined. */
export async function takeFlow(db: Db, tenantId: string, id: string, browser: string, now: number): Promise<FlowRow | undefined> {
  const taken = await db
    .updateTable("identity_flows")
    .set({ used_at: now })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .where("browser", "=", browser)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (Number(taken.numUpdatedRows) !== 1) return undefined;
  return db.selectFrom("identity_flows").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).executeTakeFirst();
}

export function insertCode(db: Db, row: Insertable<IdentityCodesTable>) {
  return db.insertInto("identity_codes").values(row);
}

/** Spends a code: true only for the one caller that marked it used while it was open and in time. */
export async function spendCode(db: Db, tenantId: string, id: string, purpose: CodeRow["purpose"], now: number): Promise<CodeRow | undefined> {
  const row = await db.selectFrom("identity_codes").selectAll().where("tenant_id", "=", tenantId).where("id", "=", id).where("purpose", "=", purpose).executeTakeFirst();
  if (!row || row.used_at !== null || row.expires_at <= now) return undefined;
  const spent = await db.updateTable("identity_codes").set({ used_at: now }).where("tenant_id", "=", tenantId).where("id", "=", id).where("used_at", "is", null).executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1 ? row : undefined;
}

export async function identityOf(db: Db, tenantId: string, providerId: string, subject: string) {
  return db.selectFrom("account_identities").selectAll().where("tenant_id", "=", tenantId).where("provider_id", "=", providerId).where("subject", "=", subject).executeTakeFirst();
}

export function insertIdentity(db: Db, row: { tenant_id: string; provider_id: string; subject: string; account_id: string; trust_level: TrustLevel; linked_at: number; last_login_at: number | null }) {
  return db.insertInto("account_identities").values(row);
}

export function touchIdentity(db: Db, tenantId: string, providerId: string, subject: string, trustLevel: TrustLevel, now: number) {
  return db.updateTable("account_identities").set({ last_login_at: now, trust_level: trustLevel }).where("tenant_id", "=", tenantId).where("provider_id", "=", providerId).where("subject", "=", subject);
}

export async function identitiesOfAccount(db: Db, tenantId: string, accountId: string) {
  return db.selectFrom("account_identities").selectAll().where("tenant_id", "=", tenantId).where("account_id", "=", accountId).orderBy("linked_at").execute();
}

export function unlink(db: Db, tenantId: string, accountId: string, providerId: string) {
  return db.deleteFrom("account_identities").where("tenant_id", "=", tenantId).where("account_id", "=", accountId).where("provider_id", "=", providerId);
}

/** Replay protection: an assertion's ID is written once; a second write of it fails. */
export function rememberAssertion(db: Db, tenantId: string, id: string, expiresAt: number) {
  return db.insertInto("saml_assertions").values({ tenant_id: tenantId, id, expires_at: expiresAt });
}
