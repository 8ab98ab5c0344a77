import type { AccountsTable, Db } from "../db/schema.js";

/** Accounts of one town. Every function takes the town first; there is no cross-town lookup. */

export function findAccount(db: Db, tenantId: string, accountId: string) {
  return db.selectFrom("accounts").selectAll().where("tenant_id", "=", tenantId).where("id", "=", accountId).executeTakeFirst();
}

/**
 * The account a login or reset for this address means: the verified one if there is one,
 * else the first registration, so that a later duplicate cannot push the real one aside.
 */
export function findAccountByEmail(db: Db, tenantId: string, email: string) {
  return db
    .selectFrom("accounts")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("email", "=", email)
    .orderBy((eb) => eb.case().when("email_verified_at", "is not", null).then(0).else(1).end())
    .orderBy("created_at", "asc")
    .executeTakeFirst();
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

export function insertAccount(db: Db, row: AccountsTable) {
  return db.insertInto("accounts").values(row);
}

export function updateAccount(db: Db, tenantId: string, accountId: string, set: Partial<Omit<AccountsTable, "tenant_id" | "id">>) {
  return db.updateTable("accounts").set(set).where("tenant_id", "=", tenantId).where("id", "=", accountId);
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
