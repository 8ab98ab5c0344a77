import type { AccountsTable, Db } from "../db/schema.js";

export async function readSubscriptions(db: Db, tenantId: string, account: AccountsTable) {
  const rows = await db.selectFrom("subscriptions").select("topic").where("tenant_id", "=", tenantId).where("account_id", "=", account.id).orderBy("topic").execute();
  return { topics: rows.map((r) => r.topic), smsAlerts: account.sms_alerts === 1 };
}

/** The whole set at once: what the person ticked is what they get. */
export function replaceSubscriptions(db: Db, tenantId: string, accountId: string, topics: string[], smsAlerts: boolean, now: number) {
  return [
    db.deleteFrom("subscriptions").where("tenant_id", "=", tenantId).where("account_id", "=", accountId),
    ...topics.map((topic) => db.insertInto("subscriptions").values({ tenant_id: tenantId, account_id: accountId, topic, created_at: now })),
    db.updateTable("accounts").set({ sms_alerts: smsAlerts ? 1 : 0, updated_at: now }).where("tenant_id", "=", tenantId).where("id", "=", accountId),
  ];
}

export function unsubscribe(db: Db, tenantId: string, accountId: string, topics: string[]) {
  return db.deleteFrom("subscriptions").where("tenant_id", "=", tenantId).where("account_id", "=", accountId).where("topic", "in", topics).execute();
}
