import type { Db } from "../db/schema.js";
import { randomId } from "../lib/crypto.js";

export interface OutboxMessage {
  channel: "email" | "sms";
  recipient: string;
  template: string;
  lang: "de" | "en";
  vars: Record<string, string>;
  accountId?: string | null;
  /** Same key, same message: a second enqueue is ignored, so fan-outs cannot send twice. */
  dedupeKey?: string;
  /** Variables stored once for many messages (see `shareVars`); `vars` add to and override them. */
  sharedId?: string;
}

/** The insert that puts one message into the outbox; run it in the same atomic write as the change that causes it. */
export function enqueue(db: Db, tenantId: string, msg: OutboxMessage, now: number) {
  return db
    .insertInto("outbox")
    .values({
      tenant_id: tenantId,
      id: randomId("m"),
      channel: msg.channel,
      dedupe_key: msg.dedupeKey ?? null,
      account_id: msg.accountId ?? null,
      recipient: msg.recipient,
      template: msg.template,
      lang: msg.lang,
      payload: JSON.stringify(msg.vars),
      status: "pending",
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
      shared_id: msg.sharedId ?? null,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "dedupe_key"]).doNothing());
}

/** Stores variables common to many messages (a news item's text) once. */
export function shareVars(db: Db, tenantId: string, id: string, vars: Record<string, string>, now: number) {
  return db
    .insertInto("outbox_shared")
    .values({ tenant_id: tenantId, id, vars: JSON.stringify(vars), created_at: now })
    .onConflict((oc) => oc.columns(["tenant_id", "id"]).doNothing());
}
