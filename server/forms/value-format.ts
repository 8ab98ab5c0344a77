/**
 * Answers written for people: dates, amounts, IBANs and file sizes, in German or English. Pure functions; the receipt PDF and the mails share them.
 */
import type { Text } from "./definition.js";

export type Lang = "de" | "en";

/** The town's English where it wrote one, German otherwise. */
export function localized(text: Text | undefined, lang: Lang): string {
  if (!text) return "";
  return lang === "en" && text.en?.trim() ? text.en : text.de;
}

function groupThousands(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/**
 * A number with the language's separators. Integer parts of four digits stay ungrouped unless
 * `groupFourDigits` is set: counts and years (`Baujahr 1998`) read wrong as `1.998`, while
 * money is always grouped (`1.234,50 €`).
 */
export function formatNumber(n: number, lang: Lang, options: { fractionDigits?: number; groupFourDigits?: boolean } = {}): string {
  if (!Number.isFinite(n)) return String(n);
  const plain = options.fractionDigits === undefined ? String(Math.abs(n)) : Math.abs(n).toFixed(options.fractionDigits);
  // Very large or tiny numbers come as 1e+21 / 1e-7; nobody types those into a form.
  if (/e/i.test(plain)) return String(n);
  const [whole = "0", fraction] = plain.split(".");
  const [thousands, decimal] = lang === "de" ? [".", ","] : [",", "."];
  const grouped = whole.length > 4 || options.groupFourDigits ? groupThousands(whole, thousands) : whole;
  const sign = n < 0 && Number(plain) !== 0 ? "-" : "";
  return sign + grouped + (fraction ? decimal + fraction : "");
}

/** Euros: `1.234,50 €` in German, `€1,234.50` in English. */
export function formatAmount(n: number, lang: Lang): string {
  const digits = formatNumber(Math.abs(n), lang, { fractionDigits: 2, groupFourDigits: true });
  const sign = n < 0 && Math.abs(n) >= 0.005 ? "-" : "";
  return lang === "de" ? `${sign}${digits} €` : `${sign}€${digits}`;
}

/** `2026-04-01` -> `01.04.2026` in both languages (unambiguous, and what the town reads too). */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** `14:05` -> `14:05 Uhr` in German. */
export function formatTime(hhmm: string, lang: Lang): string {
  return /^\d{2}:\d{2}$/.test(hhmm) && lang === "de" ? `${hhmm} Uhr` : hhmm;
}

/** `DE89370400440532013000` -> `DE89 3704 0044 0532 0130 00`, as printed on bank cards. */
export function formatIban(iban: string): string {
  return iban
    .replace(/\s+/g, "")
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, "$1 ");
}

/** `532 Bytes`, `12 KB`, `1,2 MB` (binary units, as file managers show them). */
export function formatFileSize(bytes: number, lang: Lang): string {
  if (bytes < 1024) return `${formatNumber(bytes, lang)} Bytes`;
  if (bytes < 1024 * 1024) return `${formatNumber(Math.max(1, Math.round(bytes / 1024)), lang)} KB`;
  return `${formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10, lang)} MB`;
}
