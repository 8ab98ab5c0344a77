import { sql } from "kysely";
import type { Db } from "../db/schema.js";

const DAY = 24 * 60 * 60_000;

/** How long records are kept; the privacy policy of a town can quote these. */
export const retention = {
  /** Sent and failed messages (recipient, kind, state) stay this long as a delivery record. */
  messagesMs: 90 * DAY,
  rateLimitWindowsMs: 1 * DAY,
};

/**
 * Deletes what nobody needs any more: expired sessions, codes, form drafts and used proofs, old
 * rate-limit windows, the delivery record after its retention, shared news text no message
 * refers to, and the pages of queued fan-outs that are done or given up (unused uploads have
 * bytes elsewhere: forms/uploads.ts). Runs across
 * all towns, hourly on Node and with the Cron trigger on Workers.
 */
export async function prune(db: Db, now: number) {
  const results = await Promise.all([
    db.deleteFrom("sessions").where("expires_at", "<=", now).executeTakeFirst(),
    db.deleteFrom("verification_codes").where("expires_at", "<=", now).executeTakeFirst(),
    db.deleteFrom("rate_limits").where("window_start", "<", now - retention.rateLimitWindowsMs).executeTakeFirst(),
    db.deleteFrom("outbox").where("status", "in", ["sent", "failed"]).where("created_at", "<", now - retention.messagesMs).executeTakeFirst(),
    db.deleteFrom("form_drafts").where("expires_at", "<=", now).executeTakeFirst(),
    db.deleteFrom("proof_uses").where("expires_at", "<=", now).executeTakeFirst(),
    // The webhook log, like the delivery record of messages: delivered or given up, kept 90 days.
    db.deleteFrom("webhook_attempts").where("at", "<", now - retention.messagesMs).executeTakeFirst(),
    db.deleteFrom("webhook_deliveries").where("status", "in", ["delivered", "failed"]).where("created_at", "<", now - retention.messagesMs).executeTakeFirst(),
    // Logins at identity providers: flows and codes live minutes; a SAML assertion's ID is kept until it expires.
    db.deleteFrom("identity_flows").where("expires_at", "<=", now).executeTakeFirst(),
    db.deleteFrom("identity_codes").where("expires_at", "<=", now).executeTakeFirst(),
    db.deleteFrom("saml_assertions").where("expires_at", "<=", now).executeTakeFirst(),
  ]);
  const shared = await db
    .deleteFrom("outbox_shared")
    .where("created_at", "<", now - DAY)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("outbox").select(sql`1`.as("x")).whereRef("outbox.tenant_id", "=", "outbox_shared.tenant_id").whereRef("outbox.shared_id", "=", "outbox_shared.id").where("outbox.status", "in", ["pending", "sending"]))),
    )
    .executeTakeFirst();
  // A queued fan-out's pages matter only while its item waits for it under that plan.
  const pages = await db
    .deleteFrom("news_fanout_pages")
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("news")
            .select(sql`1`.as("x"))
            .whereRef("news.tenant_id", "=", "news_fanout_pages.tenant_id")
            .whereRef("news.id", "=", "news_fanout_pages.news_id")
            .whereRef("news.fanout_plan", "=", "news_fanout_pages.plan")
            .where("news.fanned_out_at", "is", null),
        ),
      ),
    )
    .executeTakeFirst();
  const [sessions, codes, rateLimits, messages, drafts, proofs, webhookAttempts, webhookDeliveries, identityFlows, identityCodes, samlAssertions] = results.map((r) => Number(r.numDeletedRows));
  return {
    sessions,
    codes,
    rateLimits,
    messages,
    drafts,
    proofs,
    webhookAttempts,
    webhookDeliveries,
    identityFlows,
    identityCodes,
    samlAssertions,
    sharedTexts: Number(shared.numDeletedRows),
    fanoutPages: Number(pages.numDeletedRows),
  };
}
