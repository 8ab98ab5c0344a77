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
