import { html } from "hono/html";
import type { Tenant } from "../tenants/tenant.js";
import type { Lang } from "./errors.js";

/**
 * A plain page on the API's origin for the links in mails (unsubscribe, confirm or cancel an
 * appointment), readable without the widget and without JavaScript. A GET only ever shows a
 * button that POSTs, so a mail scanner prefetching the link changes nothing.
 */
/** A choice the page's form asks for before its button: one `<select>`, options grouped (e.g. times by day). */
export interface LinkPageChoice {
  name: string;
  label: string;
  groups: Array<{ label: string; options: Array<{ value: string; label: string }> }>;
  /** A link under the choice, e.g. to the following days. */
  more?: { href: string; label: string } | undefined;
}

export function linkPage(tenant: Tenant, lang: Lang, page: { title: string; text: string; button?: string | undefined; choice?: LinkPageChoice | undefined; link?: { href: string; label: string } | undefined }) {
  const c = tenant.config;
  const back = lang === "de" ? "Zur Website der Gemeinde" : "To the municipality's website";
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${page.title} – ${c.officialName}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a}header{background:${c.branding.primaryColor};color:#fff;padding:16px 24px;font-weight:600}main{max-width:560px;margin:32px auto;padding:0 24px}label{display:block;font-weight:600;margin-bottom:4px}select{font:inherit;padding:8px;max-width:100%;margin-bottom:16px}button{font:inherit;padding:12px 20px;border:0;border-radius:6px;background:${c.branding.primaryColor};color:#fff;cursor:pointer}a{color:${c.branding.primaryColor}}</style></head>
<body><header>${c.officialName} – Digitales Rathaus</header>
<main><h1>${page.title}</h1><p>${page.text}</p>${page.link ? html`<p><a href="${page.link.href}">${page.link.label}</a></p>` : ""}
${page.button ? html`<form method="post">${page.choice ? choice(page.choice) : ""}<button type="submit">${page.button}</button></form>` : ""}
<p><a href="${c.contact.website}">${back}</a></p></main></body></html>`;
}

function choice(c: LinkPageChoice) {
  return html`<label for="choice">${c.label}</label>
<select id="choice" name="${c.name}" required>${c.groups.map((g) => html`<optgroup label="${g.label}">${g.options.map((o) => html`<option value="${o.value}">${o.label}</option>`)}</optgroup>`)}</select>
${c.more ? html`<p><a href="${c.more.href}">${c.more.label}</a></p>` : ""}`;
}

/** Headers of such a page: never cached, no referrer, nothing but its inline style. */
export const linkPageHeaders = {
  "Cache-Control": "no-store",
  "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  "Referrer-Policy": "no-referrer",
};
