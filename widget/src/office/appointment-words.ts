/**
 * Appointments, absences and wishes in words for the office's screens, in the reader's language
 * and in Berlin time.
 */
import type { Lang } from "../core/types.js";
import { dayLong, timeOf } from "../appointments/format.js";
import { type Preference, absenceSpan, shortDay } from "./calendar.js";
import type { OfficeTexts } from "./texts.js";

/** "Dienstag, 1. Dezember 2026, 08:00–12:00 Uhr", "… ganztägig", or from one day to another. */
export function absenceWords(a: { start: string; end: string }, lang: Lang, t: OfficeTexts): string {
  const ta = t.appointmentsView;
  const s = absenceSpan(a);
  const last = s.lastDay === s.firstDay ? null : dayLong(s.lastDay, lang);
  if (s.from === null || s.to === null) return ta.absenceWhole(dayLong(s.firstDay, lang), last);
  return ta.absenceTimes(dayLong(s.firstDay, lang), timeOf(s.from, lang), last, timeOf(s.to, lang));
}

/** "Di, 1. Dezember, vormittags". */
export const preferenceWords = (p: Preference, lang: Lang, t: OfficeTexts) => `${shortDay(p.date, lang)}, ${t.appointmentsView.times[p.time]}`;

/** "09:00–09:20 Uhr". */
export const timeSpan = (a: { start: string; end: string }, lang: Lang, t: OfficeTexts) => t.appointmentsView.span(timeOf(a.start, lang), timeOf(a.end, lang));
