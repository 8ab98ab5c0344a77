import type { Compilable } from "kysely";
import type { Db } from "../db/schema.js";
import { randomId } from "../lib/crypto.js";
import type { Tenant } from "../tenants/tenant.js";
import { type WebhookDeliveriesTable, type WebhookEvent } from "./tables.js";

/** The webhooks of a town that take a form. A town stored before webhooks existed has none. */
export function webhooksFor(tenant: Tenant, formId: string) {
  return (tenant.config.webhooks ?? []).filter((w) => w.forms.includes(formId));
}

function delivery(tenantId: string, d: { eventId: string; event: WebhookEvent; webhookId: string; submissionId: string; entryId: string | null; replayOf: string | null; now: number }): WebhookDeliveriesTable {
  return {
    tenant_id: tenantId,
    id: randomId("wd"),
    event_id: d.eventId,
    event: d.event,
    webhook_id: d.webhookId,
    submission_id: d.submissionId,
    entry_id: d.entryId,
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
 * The deliveries of an event of a submission to the town's webhooks for its form, one per
 * webhook, all of the same event id: a new submission, or a status change with its timeline
 * entry. Run them in the same atomic write as what they report: what happened has its
 * deliveries queued, and a failed write queues none.
 */
export function webhookWrites(db: Db, tenant: Tenant, s: { submissionId: string; formId: string; now: number; statusEntryId?: string }): Compilable[] {
  const hooks = webhooksFor(tenant, s.formId);
  if (hooks.length === 0) return [];
  const eventId = randomId("evt");
  const event: WebhookEvent = s.statusEntryId ? "submission.status_changed" : "submission.created";
  return hooks.map((w) =>
    db.insertInto("webhook_deliveries").values(delivery(tenant.id, { eventId, event, webhookId: w.id, submissionId: s.submissionId, entryId: s.statusEntryId ?? null, replayOf: null, now: s.now })),
  );
}

/** A new delivery of the same event to the same webhook, for a replay. */
export function replayDelivery(tenantId: string, original: Pick<WebhookDeliveriesTable, "id" | "event_id" | "event" | "webhook_id" | "submission_id" | "entry_id">, now: number): WebhookDeliveriesTable {
  return delivery(tenantId, { eventId: original.event_id, event: original.event, webhookId: original.webhook_id, submissionId: original.submission_id, entryId: original.entry_id, replayOf: original.id, now });
}
