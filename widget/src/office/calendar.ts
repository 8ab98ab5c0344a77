/**
 * The arithmetic of the office's appointment screens, without Lit or the DOM: which days a
 * calendar shows, what each clerk has on a day, which days to offer for a Terminanfrage, and the
 * instants of an absence typed as Berlin wall time. Days are Berlin days (`YYYY-MM-DD`).
 */
import type { Lang } from "../core/types.js";
import type { AppointmentRequest, OfficeAbsence, OfficeCalendar } from "../../../server/appointments/api-types.js";
import { addDays, dayOf, mondayOf } from "../appointments/format.js";
import { berlinToIso } from "./berlin-time.js";

export type CalendarAppointment = OfficeCalendar["appointments"][number];
export type Preference = AppointmentRequest["preferences"][number];

/** The days shown: the day itself, or Monday to Sunday of its week. */
export function shownDays(date: string, view: "day" | "week"): string[] {
  if (view === "day") return [date];
  const monday = mondayOf(date);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** The day a previous/next link leads to: one day or one week away. */
export const stepDate = (date: string, view: "day" | "week", direction: -1 | 1) => addDays(date, (view === "week" ? 7 : 1) * direction);

/** The instant a Berlin day begins. */
export const dayStart = (day: string) => Date.parse(berlinToIso(`${day}T00:00`)!);

export type CalendarEntry =
  | { kind: "appointment"; at: number; appointment: CalendarAppointment }
  /** `from`/`to`: the absence's own start and end on this day; null where it began before or ends after it. */
  | { kind: "absence"; at: number; absence: OfficeAbsence; from: string | null; to: string | null };

/** A clerk's appointments and absences on one day, in the order of the day. */
export function entriesOn(calendar: Pick<OfficeCalendar, "appointments" | "absences">, day: string, clerkId: string): CalendarEntry[] {
  const begins = dayStart(day);
  const ends = dayStart(addDays(day, 1));
  const entries: CalendarEntry[] = [];
  for (const a of calendar.appointments) {
    if (a.clerkId === clerkId && dayOf(a.start) === day) entries.push({ kind: "appointment", at: Date.parse(a.start), appointment: a });
  }
  for (const a of calendar.absences) {
    const start = Date.parse(a.start);
    const end = Date.parse(a.end);
    if (a.clerkId !== clerkId || start >= ends || end <= begins) continue;
    entries.push({ kind: "absence", at: Math.max(start, begins), absence: a, from: start > begins ? a.start : null, to: end < ends ? a.end : null });
  }
  // An absence before an appointment at the same minute: it is why that appointment needs moving.
  return entries.sort((x, y) => x.at - y.at || (x.kind === "absence" ? -1 : 1));
}

/** A confirmed appointment can be marked as a no-show once it has begun (the server's rule). */
export const canMarkNoShow = (a: CalendarAppointment, now: number) => a.status === "confirmed" && Date.parse(a.start) <= now;

/** The office can cancel what has not begun (a reservation waiting for its confirmation, too). */
export const canCancel = (a: CalendarAppointment, now: number) => (a.status === "confirmed" || a.status === "pending") && Date.parse(a.start) > now;

/**
 * The days whose free times the schedule dialog offers: from two days before the first wish to
 * two days after the last, never before today, at most three weeks.
 */
export function slotWindow(preferences: readonly Preference[], today: string): { from: string; to: string } {
  const days = preferences.map((p) => p.date).sort();
  const first = days[0] ?? today;
  const last = days[days.length - 1] ?? today;
  const from = addDays(first, -2) > today ? addDays(first, -2) : today;
  let to = addDays(last, 2);
  if (to < from) to = addDays(from, 6);
  const latest = addDays(from, 20);
  return { from, to: to > latest ? latest : to };
}

/** Whether a slot lies in the part of the day a preference asks for (the counter's morning ends at noon). */
export function fitsPreference(start: string, time: Preference["time"]): boolean {
  if (time === "any") return true;
  const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", hourCycle: "h23" }).format(new Date(start)));
  return time === "morning" ? hour < 12 : hour >= 12;
}

const shortFormats = new Map<Lang, Intl.DateTimeFormat>();

/** "Di, 1. Dezember" / "Tue 1 December": a wish as the citizen gave it, without the year. */
export function shortDay(day: string, lang: Lang): string {
  let f = shortFormats.get(lang);
  if (!f) shortFormats.set(lang, (f = new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", { timeZone: "UTC", weekday: "short", day: "numeric", month: "long" })));
  const parts = f.formatToParts(new Date(`${day}T12:00:00Z`));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  // German abbreviates weekdays with a period ("Di."), which reads badly before the comma.
  const weekday = part("weekday").replace(/\.$/, "");
  return lang === "de" ? `${weekday}, ${part("day")}. ${part("month")}` : `${weekday} ${part("day")} ${part("month")}`;
}

export interface AbsenceFields {
  day: string;
  /** The last day of a longer absence; the first day when empty. */
  lastDay: string;
  wholeDay: boolean;
  /** "HH:MM" on the first day, and on the last day. */
  start: string;
  end: string;
}

/** The absence's instants (ISO 8601) from the form: whole days run from midnight to midnight. */
export function absencePeriod(f: AbsenceFields): { start: string; end: string } {
  const last = f.lastDay || f.day;
  if (f.wholeDay) return { start: berlinToIso(`${f.day}T00:00`)!, end: berlinToIso(`${addDays(last, 1)}T00:00`)! };
  return { start: berlinToIso(`${f.day}T${f.start}`)!, end: berlinToIso(`${last}T${f.end}`)! };
}

/** An absence in the form's terms: its days, and its times unless it spans whole days. */
export function absenceSpan(a: { start: string; end: string }): { firstDay: string; lastDay: string; from: string | null; to: string | null } {
  const firstDay = dayOf(a.start);
  const endDay = dayOf(a.end);
  if (Date.parse(a.start) === dayStart(firstDay) && Date.parse(a.end) === dayStart(endDay)) return { firstDay, lastDay: addDays(endDay, -1), from: null, to: null };
  return { firstDay, lastDay: endDay, from: a.start, to: a.end };
}
