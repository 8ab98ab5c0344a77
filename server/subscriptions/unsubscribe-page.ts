import { html } from "hono/html";
import type { Lang } from "../http/errors.js";
import type { Tenant } from "../tenants/tenant.js";

const texts = {
  de: {
    confirm: ["Abmelden bestätigen", "Möchten Sie diese Nachrichten nicht mehr per E-Mail erhalten?", "Ja, abmelden"],
    done: ["Sie sind abgemeldet", "Sie erhalten zu diesem Thema keine E-Mails mehr. Ihre Themen können Sie jederzeit im Digitalen Rathaus unter „Mein Konto“ ändern."],
    invalid: ["Link ungültig", "Dieser Abmelde-Link ist ungültig oder gehört zu einer anderen Gemeinde. Ihre Themen können Sie im Digitalen Rathaus unter „Mein Konto“ ändern."],
    back: "Zur Website der Gemeinde",
  },
  en: {
    confirm: ["Confirm unsubscribing", "Do you no longer want to receive these news by e-mail?", "Yes, unsubscribe"],
    done: ["You are unsubscribed", "You will no longer receive e-mails on this topic. You can change your topics at any time under “My account” in the Digital Town Hall."],
    invalid: ["Invalid link", "This unsubscribe link is invalid or belongs to another municipality. You can change your topics under “My account” in the Digital Town Hall."],
    back: "To the municipality's website",
  },
};

/** A plain page on the API's origin, readable without the widget and without JavaScript. */
export function unsubscribePage(tenant: Tenant, state: "confirm" | "done" | "invalid", lang: Lang) {
  const t = texts[lang];
  const [title, text, button] = t[state] as [string, string, string?];
  const c = tenant.config;
  return html`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} – ${c.officialName}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a}header{background:${c.branding.primaryColor};color:#fff;padding:16px 24px;font-weight:600}main{max-width:560px;margin:32px auto;padding:0 24px}button{font:inherit;padding:12px 20px;border:0;border-radius:6px;background:${c.branding.primaryColor};color:#fff;cursor:pointer}a{color:${c.branding.primaryColor}}</style></head>
<body><header>${c.officialName} – Digitales Rathaus</header>
<main><h1>${title}</h1><p>${text}</p>
${button ? html`<form method="post"><button type="submit">${button}</button></form>` : ""}
<p><a href="${c.contact.website}">${t.back}</a></p></main></body></html>`;
}
