import { findAccount } from "../accounts/repo.js";
import type { Store } from "../db/store.js";
import { addDays, berlinDate, berlinWallTime } from "../lib/berlin-time.js";
import { enqueue } from "../outbox/enqueue.js";
import { findTenantById } from "../tenants/repo.js";
import type { Tenant } from "../tenants/tenant.js";
import { appointmentWhen } from "./mails.js";

/** When the day-before reminder goes out: 08:00 in Berlin on the day before the appointment. */
export function reminderMoment(startAt: number): number {
  return berlinWallTime(addDays(berlinDate(startAt), -1), "08:00");
}

/**
 * Queues the reminder of every confirmed appointment whose moment has come: an e-mail, and an
 * SMS for account holders who get SMS notifications. Each reminder is queued in one atomic
 * write with the mark that it was, and under a key of its own in the outbox, so a crash before,
 * during or after the write, or two runs at once, queue it exactly once; the dispatcher then
 * delivers it with the outbox's guarantees. An appointment booked after its moment is not
 * reminded: its confirmation has just arrived.
 */
export async function queueReminders(store: Store, now: number): Promise<number> {
  const db = store.db;
  const tenants = new Map<string, Promise<Tenant | null>>();
  const tenantOf = (id: string) => tenants.get(id) ?? tenants.set(id, findTenantById(db, id)).get(id)!;
  // Within two days covers every moment up to now; the index holds only those not yet reminded.
  const due = await db
    .selectFrom("appointments")
    .selectAll()
    .where("status", "=", "confirmed")
    .where("reminder_queued_at", "is", null)
    .where("start_at", ">", now)
    .where("start_at", "<", now + 2 * 86_400_000)
    .orderBy("start_at")
    .limit(500)
    .execute();
  let queued = 0;
  for (const a of due) {
    const moment = reminderMoment(a.start_at);
    if (now < moment) continue;
    const mark = db.updateTable("appointments").set({ reminder_queued_at: now }).where("tenant_id", "=", a.tenant_id).where("id", "=", a.id).where("reminder_queued_at", "is", null);
    const tenant = a.created_at < moment ? await tenantOf(a.tenant_id) : null;
    const c = tenant?.config.appointments;
    if (!tenant || !c) {
      await store.atomic([mark]);
      continue;
    }
    const s = c.services.find((x) => x.id === a.service_id);
    const l = c.locations.find((x) => x.id === a.location_id);
    const service = (s?.name[a.lang] ?? s?.name.de) || a.service_id;
    // Per SEQUENCE: an appointment moved after its reminder is reminded of again.
    const key = `appointment:${a.id}:${a.sequence}:reminder`;
    const writes = [
      mark,
      enqueue(db, tenant.id, { channel: "email", template: "appointment_reminder", recipient: a.email, lang: a.lang, accountId: a.account_id, dedupeKey: key, vars: { name: a.name, service, when: appointmentWhen(a, a.lang), location: l ? `${l.name[a.lang] ?? l.name.de}, ${l.address}` : tenant.config.name, bring: (s?.bring ?? []).map((b) => b[a.lang] ?? b.de).join("; ") || "–" } }, now),
    ];
    const account = a.account_id ? await findAccount(db, tenant.id, a.account_id) : null;
    if (account?.smsAlerts && account.mobileVerifiedAt !== null) {
      writes.push(enqueue(db, tenant.id, { channel: "sms", template: "appointment_reminder", recipient: account.mobile, lang: a.lang, accountId: account.id, dedupeKey: `${key}:sms`, vars: { service, when: appointmentWhen(a, a.lang) } }, now));
    }
    await store.atomic(writes);
    queued++;
  }
  return queued;
}
