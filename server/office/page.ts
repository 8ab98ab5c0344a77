/**
 * The office's HTML shell at `GET /office/<slug>/`: a document that loads the office bundle and
 * holds `<office-app>`. Served by the Hono app, so it is the same on Node and Workers; the
 * bundle itself is a static file (`/office/assets/office.js`, dist/public/office/assets/).
 *
 * Nothing inline: no script, no style element, no style attribute. The app styles itself with
 * adopted stylesheets, which the CSP below allows without 'unsafe-inline'.
 */

const titles = { de: "Digitales Rathaus – Verwaltung", en: "Digital Town Hall – Office" } as const;
const noScript = {
  de: "Die Verwaltung des Digitalen Rathauses braucht JavaScript. Bitte schalten Sie es für diese Seite ein.",
  en: "The office of the Digital Town Hall needs JavaScript. Please enable it for this page.",
} as const;

/** `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * `assetBase`: where office.js lives, ending in `/` (normally `/office/assets/`).
 * `lang`: the page's language; the app follows it unless the person chose the other one before.
 */
export function officePage(slug: string, assetBase: string, lang: "de" | "en"): string {
  const base = assetBase.endsWith("/") ? assetBase : `${assetBase}/`;
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>${titles[lang]}</title>
<link rel="icon" href="data:,">
<script type="module" src="${escapeHtml(`${base}office.js`)}"></script>
</head>
<body>
<office-app tenant="${escapeHtml(slug)}"></office-app>
<noscript><p>${noScript[lang]}</p></noscript>
</body>
</html>
`;
}

/**
 * The page runs staff sessions: scripts and styles only from this origin, no framing, no
 * referrer leaking case ids, never cached (the shell names the bundle, which may change).
 */
export const officeContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

export const officePageHeaders: Readonly<Record<string, string>> = {
  "Content-Type": "text/html; charset=utf-8",
  "Content-Security-Policy": officeContentSecurityPolicy,
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "Cross-Origin-Opener-Policy": "same-origin",
};
