import type { Db } from "../db/schema.js";

/**
 * Messages due since before `dueBefore` and still not sent, oldest first, across towns: on
 * Workers a queue message that should have sent them was lost. Through `outbox_due`.
 */
export async function strandedMessages(db: Db, dueBefore: number, limit: number): Promise<Array<{ tenant_id: string; id: string }>> {
  return db
    .selectFrom("outbox")
    .select(["tenant_id", "id"])
    .where("status", "in", ["pending", "sending"])
    .where("next_attempt_at", "<", dueBefore)
    .orderBy("next_attempt_at")
    .limit(limit)
    .execute();
}
