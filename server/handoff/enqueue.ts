import type { Compilable } from "kysely";
import type { Db } from "../db/schema.js";
import { randomId } from "../lib/crypto.js";
import type { Tenant } from "../tenants/tenant.js";
import { type WebhookDeliveriesTable, type WebhookEvent } from "./tables.js";

/** The webhooks of a town that take a form. A town stored before webhooks existed has none. */
export function webhooksFor(tenant: Tenant, formId: string) {
  return (tenant.config.webhooks ?? []).filter((w) => w.forms.includes(formId));
}

function delivery(tenantId: string, d: { eventId: string; event: WebhookEvent; webhookId: string; submissionId: string; replayOf: string | null; now: number }): WebhookDeliveriesTable {
  return {
    tenant_id: tenantId,
    id: randomId("wd"),
    event_id: d.eventId,
    event: d.event,
    webhook_id: d.webhookId,
    submission_id: d.submissionId,
    replay_of: d.replayOf,
    status: "pending",
    attempts: 0,
    next_attempt_at: d.now,
    last_status: null,
    last_error: null,
    created_at: d.now,
    delivered_at: null,
  };
}

/**
 * The deliveries of a new submission to the town's webhooks for its form, one per webhook,
 * all of the same event id. Run them in the same atomic write as the submission: a submission
 * that exists has its deliveries queued, and a failed write queues none.
 */
export function webhookWrites(db: Db, tenant: Tenant, s: { submissionId: string; formId: string; now: number }): Compilable[] {
  const hooks = webhooksFor(tenant, s.formId);
  if (hooks.length === 0) return [];
  const eventId = randomId("evt");
  const hdb = db;
  return hooks.map((w) =>
    hdb.insertInto("webhook_deliveries").values(delivery(tenant.id, { eventId, event: "submission.created", webhookId: w.id, submissionId: s.submissionId, replayOf: null, now: s.now })),
  );
}

/** A new delivery of the same event to the same webhook, for a replay. */
export function replayDelivery(tenantId: string, original: Pick<WebhookDeliveriesTable, "id" | "event_id" | "event" | "webhook_id" | "submission_id">, now: number): WebhookDeliveriesTable {
  return delivery(tenantId, { eventId: original.event_id, event: original.event, webhookId: original.webhook_id, submissionId: original.submission_id, replayOf: original.id, now });
}
