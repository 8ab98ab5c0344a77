import type { Db } from "../db/schema.js";

/** Subscriptions of one town's accounts; every function takes the town first. */

export async function findTopics(db: Db, tenantId: string, accountId: string): Promise<string[]> {
  const rows = await db.selectFrom("subscriptions").select("topic").where("tenant_id", "=", tenantId).where("account_id", "=", accountId).orderBy("topic").execute();
  return rows.map((r) => r.topic);
}

/** The whole set at once: what the person ticked is what they get. */
export function replaceSubscriptions(db: Db, tenantId: string, accountId: string, topics: ReadonlyArray<string>, smsAlerts: boolean, now: number) {
  return [
    db.deleteFrom("subscriptions").where("tenant_id", "=", tenantId).where("account_id", "=", accountId),
    ...topics.map((topic) => db.insertInto("subscriptions").values({ tenant_id: tenantId, account_id: accountId, topic, created_at: now })),
    db.updateTable("accounts").set({ sms_alerts: smsAlerts ? 1 : 0, updated_at: now }).where("tenant_id", "=", tenantId).where("id", "=", accountId),
  ];
}

export async function deleteSubscriptions(db: Db, tenantId: string, accountId: string, topics: ReadonlyArray<string>) {
  if (topics.length === 0) return;
  await db.deleteFrom("subscriptions").where("tenant_id", "=", tenantId).where("account_id", "=", accountId).where("topic", "in", topics).execute();
}
