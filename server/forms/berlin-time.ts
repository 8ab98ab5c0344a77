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

/** Epoch ms of 00:00 in Berlin on a `YYYY-MM-DD` day (offset +1 or +2 by the date's DST). */
export function berlinMidnight(day: string): number {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const utc = Date.UTC(y, m - 1, d);
  const p = Object.fromEntries(offsetParts.formatToParts(utc).map((x) => [x.type, x.value]));
  const shown = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute));
  return utc - (shown - utc);
}
