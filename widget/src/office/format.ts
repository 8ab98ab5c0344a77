/**
 * Dates and sizes as staff read them. Times are shown in the town's time zone, whatever the
 * device says: a clerk on a laptop set to UTC still sees when the citizen sent it locally.
 */
import type { Lang, TenantText } from "../core/types.js";
import { formatFileSize } from "../../../server/forms/value-format.js";

export { formatFileSize };

const formats = new Map<string, Intl.DateTimeFormat>();

function format(lang: Lang, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}:${withTime}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "de" ? "de-DE" : "en-GB", {
      dateStyle: "medium",
      ...(withTime ? { timeStyle: "short" } : {}),
      timeZone: "Europe/Berlin",
    });
    formats.set(key, f);
  }
  return f;
}

/** "12.03.2026, 14:05" / "12 Mar 2026, 14:05". */
export const dateTime = (iso: string, lang: Lang) => format(lang, true).format(new Date(iso));

/** A text of the town or a form in the reader's language; German where no English exists. */
export const local = (text: TenantText | undefined, lang: Lang) => (text ? (lang === "en" && text.en?.trim()) || text.de : "");

const previewable = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);

/**
 * Raster images only, shown with <img>, which runs nothing from the file. SVG can carry scripts
 * (harmless in <img>, but not when opened by itself) and PDFs or HTML would render in the page's
 * origin: those are downloads only.
 */
export const canPreview = (mediaType: string) => previewable.has(mediaType.toLowerCase());
