import type { Lang } from "../core/types.js";

/**
 * Dates and times of appointments as the town hall means them: in Berlin, whatever the
 * visitor's own time zone. Days arrive as `YYYY-MM-DD` (Berlin days), instants as ISO 8601 with
 * Berlin's offset.
 */

const locale = (lang: Lang) => (lang === "de" ? "de-DE" : "en-GB");
const cache = new Map<string, Intl.DateTimeFormat>();
function format(lang: Lang, key: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let f = cache.get(lang + key);
  if (!f) cache.set(lang + key, (f = new Intl.DateTimeFormat(locale(lang), opts)));
  return f;
}

/** A Berlin day as an instant that formats to that day in UTC, so no offset can shift it. */
const noon = (day: string) => new Date(`${day}T12:00:00Z`);

export function berlinToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(now);
}

export function addDays(day: string, n: number): string {
  const d = noon(day);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday of the day's week: days are grouped by week. */
export const mondayOf = (day: string) => addDays(day, -((noon(day).getUTCDay() + 6) % 7));

/** "Montag, 30. November" / "Monday 30 November". */
export const dayName = (day: string, lang: Lang) => format(lang, "day", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" }).format(noon(day));

/** "Montag, 30. November 2026" / "Monday 30 November 2026". */
export const dayLong = (day: string, lang: Lang) =>
  format(lang, "dayLong", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(noon(day));

/** "08:00", in Berlin. */
export const timeOf = (iso: string, lang: Lang) => format(lang, "time", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));

/** The Berlin day of an instant. */
export const dayOf = (iso: string) => berlinToday(new Date(iso));

/** "Montag, 30. November 2026, 08:00–08:10 Uhr" / "Monday 30 November 2026, 08:00–08:10". */
export const when = (a: { start: string; end: string }, lang: Lang) =>
  `${dayLong(dayOf(a.start), lang)}, ${timeOf(a.start, lang)}–${timeOf(a.end, lang)}${lang === "de" ? " Uhr" : ""}`;

/** "Sonntag, 29. November 2026, 08:00 Uhr": a moment such as the end of cancelling online. */
export const moment = (iso: string, lang: Lang) => `${dayLong(dayOf(iso), lang)}, ${timeOf(iso, lang)}${lang === "de" ? " Uhr" : ""}`;

/** Days grouped by their week, in order: `[monday, days]`. */
export function byWeek<T extends { date: string }>(days: readonly T[]): [string, T[]][] {
  const weeks = new Map<string, T[]>();
  for (const d of days) {
    const m = mondayOf(d.date);
    weeks.set(m, [...(weeks.get(m) ?? []), d]);
  }
  return [...weeks];
}
