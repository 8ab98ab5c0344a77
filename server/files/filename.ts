/**
 * File names from citizens, made safe to show staff and to hand back in a download: no paths,
 * nothing invisible or reordering, nothing Windows refuses to save, and always the extension
 * of the type the content was detected as, so the name never lies about what opens it.
 */

/** Counted in characters (code points), as a person reads them, not in UTF-16 units. */
export const maxFileNameLength = 120;

/** Used when nothing of the sent name survives. */
const fallbackBase = "datei";

/** C0, DEL and C1 controls; line and paragraph separators. */
const controls = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
/** Bidi embeddings, overrides, isolates and marks (`invoice\u202Efdp.exe` shows as `invoiceexe.pdf`); zero-width characters; BOM. */
const invisible = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Not allowed in Windows file names, or troublesome in a header: replaced, so words stay apart. */
const forbidden = /[<>:|?*]/g;
const quotes = /["'`]/g;
/** CON, PRN, AUX, NUL, COM0–9, LPT0–9 (with the superscript digits Windows also reserves), with any extension. */
const reservedWindows = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;
/** A suffix that looks like an extension (`.jpg`, `.jpeg`, `.docx`), not like a version (`v1.2`). */
const extensionLike = /\.[A-Za-z0-9]*[A-Za-z][A-Za-z0-9]*$/;

/**
 * A name to store and show: the last path segment of `raw`, cleaned, NFC, at most 120
 * characters, ending in `.<ext>` (the detected type's). `../../etc/passwd` becomes
 * `passwd.<ext>`; `photo.jpg` that is a PNG becomes `photo.png`; umlauts stay.
 */
export function safeFileName(raw: string | undefined, ext: string): string {
  const extension = ext.toLowerCase().replace(/[^a-z0-9]/g, "");
  const suffix = extension ? `.${extension}` : "";
  let name = (raw ?? "").normalize("NFC");
  // Both separators: browsers may send a Windows path, and `\` is a separator on Windows.
  name = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  name = name.replace(controls, "").replace(invisible, "").replace(quotes, "").replace(forbidden, "_");
  name = name.replace(/\s+/gu, " ");
  // Windows drops trailing dots and spaces; a leading dot hides a file on Unix.
  name = trimDotsAndSpaces(name);
  name = trimDotsAndSpaces(name.replace(extensionLike, ""));
  if (reservedWindows.test(name)) name = `_${name}`;
  const room = maxFileNameLength - suffix.length;
  const chars = Array.from(name);
  if (chars.length > room) name = trimDotsAndSpaces(chars.slice(0, room).join(""));
  return `${name || fallbackBase}${suffix}`;
}

function trimDotsAndSpaces(s: string): string {
  return s.replace(/^[.\s]+|[.\s]+$/gu, "");
}

/**
 * `attachment; filename="ascii"; filename*=UTF-8''utf-8` (RFC 6266): `attachment` so no
 * browser renders an upload inline; the ASCII fallback for old clients spells umlauts out
 * (`Bescheid für Müller.pdf` → `Bescheid fuer Mueller.pdf`).
 */
export function contentDisposition(name: string): string {
  const clean = name.normalize("NFC").replace(controls, "").replace(invisible, "");
  return `attachment; filename="${asciiFallback(clean)}"; filename*=UTF-8''${encodeRfc5987(clean)}`;
}

const germanSpelledOut: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", Ä: "Ae", Ö: "Oe", Ü: "Ue", ß: "ss", ẞ: "SS" };

function asciiFallback(name: string): string {
  return name
    .replace(/[äöüÄÖÜßẞ]/g, (c) => germanSpelledOut[c] ?? "_")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
}

/** RFC 5987 attr-char only; encodeURIComponent leaves `'()*` as they are, which attr-char does not allow. */
function encodeRfc5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
