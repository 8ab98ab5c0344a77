/**
 * Dates as the town hall sees them: Europe/Berlin, whatever the server's zone. Intl carries
 * the tz database on Node and in workerd alike.
 */
const dateParts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" });
const stamp = {
  de: new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", day: "numeric", month: "long", year: "numeric", hour: "2-digit", minute: "2-digit" }),
};

/** `YYYY-MM-DD` in Berlin: what "today" means for date rules. */
export function berlinDate(epochMs: number): string {
  return dateParts.format(epochMs);
}

/** `26.11.2026, 14:05 Uhr` / `26 November 2026 at 14:05`. */
export function berlinStamp(epochMs: number, lang: "de" | "en"): string {
  return lang === "de" ? `${stamp.de.format(epochMs)} Uhr` : stamp.en.format(epochMs);
}

export function berlinYear(epochMs: number): number {
  return Number(berlinDate(epochMs).slice(0, 4));
}

const offsetParts = new Intl.DateTimeFormat("en-US", { timeZone: "Europe/Berlin", hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric" });

/** Offsets by UTC hour: Berlin's changes only on the hour, and Intl is slow enough to matter for a calendar of slots. */
const offsets = new Map<number, number>();

/** Minutes Berlin is ahead of UTC at an instant: 60, or 120 in summer. */
export function berlinOffsetMinutes(epochMs: number): number {
  const hour = Math.floor(epochMs / 3600_000);
  const known = offsets.get(hour);
  if (known !== undefined) return known;
  const p = Object.fromEntries(offsetParts.formatToParts(hour * 3600_000).map((x) => [x.type, x.value]));
  const shown = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  const offset = Math.round((shown - hour * 3600_000) / 60_000);
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(hour, offset);
  return offset;
}

/**
 * Epoch ms of a wall-clock time (`HH:MM`) in Berlin on a `YYYY-MM-DD` day. On the autumn Sunday
 * 02:00–02:59 happens twice: the first (summer time) is meant. On the spring Sunday 02:00–02:59
 * does not exist: the clock has jumped, so 02:30 is the instant a clock reads 03:30.
 */
export function berlinWallTime(day: string, hhmm: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const [h, min] = hhmm.split(":").map(Number) as [number, number];
  const asUtc = Date.UTC(y, m - 1, d, h, min);
  const summer = asUtc - 120 * 60_000;
  if (berlinOffsetMinutes(summer) === 120) return summer;
  // Winter time, or the hour that was skipped (then the same instant, read an hour later).
  return asUtc - 60 * 60_000;
}

/** Epoch ms of 00:00 in Berlin on a `YYYY-MM-DD` day (offset +1 or +2 by the date's DST). */
export function berlinMidnight(day: string): number {
  return berlinWallTime(day, "00:00");
}

/** ISO 8601 with Berlin's offset: `2026-12-01T08:00:00+01:00`. */
export function berlinIso(epochMs: number): string {
  const offset = berlinOffsetMinutes(epochMs);
  const local = new Date(epochMs + offset * 60_000).toISOString().slice(0, 19);
  return `${local}+${String(Math.floor(offset / 60)).padStart(2, "0")}:${String(offset % 60).padStart(2, "0")}`;
}

/** `HH:MM` on a Berlin clock. */
export function berlinClock(epochMs: number): string {
  return berlinIso(epochMs).slice(11, 16);
}

/** The day `n` days after a `YYYY-MM-DD` day. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}
