import type { Compilable, Expression, SqlBool } from "kysely";
import type { Db } from "../db/schema.js";
import { berlinClock } from "../lib/berlin-time.js";
import { type OutboxMessage, enqueue } from "../outbox/enqueue.js";
import type { Tenant } from "../tenants/tenant.js";
import type { AppointmentsConfig } from "./config.js";
import type { AppointmentRow } from "./repo.js";

const dayFormat = {
  de: new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", weekday: "long", day: "numeric", month: "long", year: "numeric" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", weekday: "long", day: "numeric", month: "long", year: "numeric" }),
};

/** `Dienstag, 1. Dezember 2026, 08:00–08:20 Uhr` / `Tuesday 1 December 2026, 08:00–08:20`. */
export function appointmentWhen(a: Pick<AppointmentRow, "start_at" | "end_at">, lang: "de" | "en"): string {
  const times = `${berlinClock(a.start_at)}–${berlinClock(a.end_at)}`;
  return `${dayFormat[lang].format(a.start_at)}, ${times}${lang === "de" ? " Uhr" : ""}`;
}

/** `Montag, 30. November 2026, 08:00 Uhr` / `Monday 30 November 2026, 08:00`. */
export function berlinMoment(ms: number, lang: "de" | "en"): string {
  return `${dayFormat[lang].format(ms)}, ${berlinClock(ms)}${lang === "de" ? " Uhr" : ""}`;
}

/** The links of an appointment's mails, each with the appointment's token. */
export interface AppointmentLinks {
  calendarUrl: string;
  cancelUrl: string;
  confirmUrl: string;
  moveUrl: string;
}

/** How long a booking without an account is held for its confirmation. */
export const confirmMinutes = 30;

/**
 * The mails of a change, for the same atomic write: to the citizen and (once it is booked) the
 * clerk, each with the calendar file (server/appointments/attachments.ts). One per appointment,
 * SEQUENCE and recipient, so a retried write never sends one twice; `onlyIf` holds them back
 * unless the change really happened in that write. A move names the appointment as it was; a
 * clerk it moved away from gets a cancellation, the new one an invitation.
 */
export function appointmentMails(
  db: Db,
  tenant: Tenant,
  c: AppointmentsConfig,
  a: AppointmentRow,
  change: "booked" | "cancelled" | "confirm" | { moved: AppointmentRow } | { cancelledByTown: string },
  now: number,
  links: AppointmentLinks,
  onlyIf?: Expression<SqlBool>,
): Compilable[] {
  const s = c.services.find((x) => x.id === a.service_id);
  const l = c.locations.find((x) => x.id === a.location_id);
  const lang = a.lang;
  const service = (s?.name[lang] ?? s?.name.de) || a.service_id;
  const location = l ? `${l.name[lang] ?? l.name.de}, ${l.address}` : tenant.config.name;
  const key = `appointment:${a.id}:${a.sequence}`;
  const when = appointmentWhen(a, lang);
  const opts = { ...(onlyIf ? { onlyIf } : {}) };
  const toCitizen = (template: "appointment_booked" | "appointment_moved" | "appointment_cancelled" | "appointment_cancelled_by_town" | "appointment_confirm", vars: Record<string, string>) =>
    enqueue(db, tenant.id, { channel: "email", template, recipient: a.email, lang, accountId: a.account_id, dedupeKey: `${key}:${template}`, vars } as OutboxMessage, now, opts);
  const toClerk = (clerkId: string, template: "appointment_clerk_booked" | "appointment_clerk_moved" | "appointment_clerk_cancelled", vars: Record<string, string>) => {
    const clerk = c.clerks.find((k) => k.id === clerkId);
    if (!clerk) return [];
    return [enqueue(db, tenant.id, { channel: "email", template, recipient: clerk.email, lang: "de", accountId: null, dedupeKey: `${key}:${template}:${clerkId}`, vars } as OutboxMessage, now, opts)];
  };
  if (change === "confirm") return [toCitizen("appointment_confirm", { name: a.name, service, when, location, confirmUrl: links.confirmUrl, minutes: String(confirmMinutes) })];
  const de = { service: s?.name.de ?? a.service_id, when: appointmentWhen(a, "de"), citizen: a.name, calendarUrl: links.calendarUrl };
  const place = l ? `${l.name.de}, ${l.address}` : tenant.config.name;
  if (change === "cancelled") return [toCitizen("appointment_cancelled", { name: a.name, service, when, calendarUrl: links.calendarUrl }), ...toClerk(a.clerk_id, "appointment_clerk_cancelled", de)];
  if (typeof change === "object" && "cancelledByTown" in change) {
    return [toCitizen("appointment_cancelled_by_town", { name: a.name, service, when, reason: change.cancelledByTown, calendarUrl: links.calendarUrl }), ...toClerk(a.clerk_id, "appointment_clerk_cancelled", de)];
  }
  const booked = {
    name: a.name,
    service,
    when,
    location,
    bring: (s?.bring ?? []).map((b) => b[lang] ?? b.de).join("; ") || "–",
    calendarUrl: links.calendarUrl,
    cancelUntil: berlinMoment(a.start_at - c.cancelCutoffHours * 3600_000, lang),
    cancelUrl: links.cancelUrl,
    moveUrl: links.moveUrl,
  };
  if (change === "booked") return [toCitizen("appointment_booked", booked), ...toClerk(a.clerk_id, "appointment_clerk_booked", { ...de, location: place })];
  const was = change.moved;
  if (was.clerk_id === a.clerk_id) {
    return [toCitizen("appointment_moved", { ...booked, before: appointmentWhen(was, lang) }), ...toClerk(a.clerk_id, "appointment_clerk_moved", { ...de, location: place, before: appointmentWhen(was, "de") })];
  }
  return [
    toCitizen("appointment_moved", { ...booked, before: appointmentWhen(was, lang) }),
    ...toClerk(was.clerk_id, "appointment_clerk_cancelled", { ...de, when: appointmentWhen(was, "de") }),
    ...toClerk(a.clerk_id, "appointment_clerk_booked", { ...de, location: place }),
  ];
}
