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
}

/** How long a booking without an account is held for its confirmation. */
export const confirmMinutes = 30;

/**
 * The mails of a change, for the same atomic write: to the citizen and (once it is booked) the
 * clerk, each with the calendar file (server/appointments/attachments.ts). One per appointment,
 * SEQUENCE and recipient, so a retried write never sends one twice; `onlyIf` holds them back
 * unless the change really happened in that write.
 */
export function appointmentMails(
  db: Db,
  tenant: Tenant,
  c: AppointmentsConfig,
  a: AppointmentRow,
  change: "booked" | "cancelled" | "confirm",
  now: number,
  links: AppointmentLinks,
  onlyIf?: Expression<SqlBool>,
): Compilable[] {
  const s = c.services.find((x) => x.id === a.service_id);
  const l = c.locations.find((x) => x.id === a.location_id);
  const clerk = c.clerks.find((k) => k.id === a.clerk_id);
  const lang = a.lang;
  const service = (s?.name[lang] ?? s?.name.de) || a.service_id;
  const location = l ? `${l.name[lang] ?? l.name.de}, ${l.address}` : tenant.config.name;
  const key = `appointment:${a.id}:${a.sequence}`;
  const when = appointmentWhen(a, lang);
  const opts = { ...(onlyIf ? { onlyIf } : {}) };
  const toCitizen = (template: "appointment_booked" | "appointment_cancelled" | "appointment_confirm", vars: Record<string, string>) =>
    enqueue(db, tenant.id, { channel: "email", template, recipient: a.email, lang, accountId: a.account_id, dedupeKey: `${key}:${template}`, vars } as OutboxMessage, now, opts);
  if (change === "confirm") return [toCitizen("appointment_confirm", { name: a.name, service, when, location, confirmUrl: links.confirmUrl, minutes: String(confirmMinutes) })];
  const citizen =
    change === "booked"
      ? toCitizen("appointment_booked", {
          name: a.name,
          service,
          when,
          location,
          bring: (s?.bring ?? []).map((b) => b[lang] ?? b.de).join("; ") || "–",
          calendarUrl: links.calendarUrl,
          cancelUntil: berlinMoment(a.start_at - c.cancelCutoffHours * 3600_000, lang),
          cancelUrl: links.cancelUrl,
        })
      : toCitizen("appointment_cancelled", { name: a.name, service, when, calendarUrl: links.calendarUrl });
  if (!clerk) return [citizen];
  const de = { service: s?.name.de ?? a.service_id, when: appointmentWhen(a, "de"), citizen: a.name, calendarUrl: links.calendarUrl };
  const template = change === "booked" ? "appointment_clerk_booked" : "appointment_clerk_cancelled";
  const vars = change === "booked" ? { ...de, location: l ? `${l.name.de}, ${l.address}` : tenant.config.name } : de;
  return [citizen, enqueue(db, tenant.id, { channel: "email", template, recipient: clerk.email, lang: "de", accountId: null, dedupeKey: `${key}:${template}`, vars } as OutboxMessage, now, opts)];
}
